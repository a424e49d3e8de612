package io.bolmo.batch;

import io.bolmo.batch.partition.PartitionSteps;
import io.bolmo.batch.partition.WorkerIdentity;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.Corpus;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.train.data.PreparedShards;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code prepare} job: a corpus to training shards ({@link PreparedShards}), the documents in byte form as the
 * byteify and fine-tune runs build them on the fly. Step {@code prepare} splits the corpus' documents into
 * {@code partitions} contiguous ranges, each written as one shard by a partition (locally or on remote workers:
 * {@link PartitionSteps}); step {@code prepareManifest} checks that the shards cover the corpus and writes
 * {@code manifest.json} last. {@code byteify corpus=DIR} and {@code finetune data=DIR} then read the shards, with
 * the same batches, and so the same weights, as from the corpus.
 */
@Configuration(proxyBeanMethods = false)
public class PrepareJobConfiguration {

    public static final String JOB_NAME = "prepare";
    static final String WORKER_STEP = "preparePartition";
    private static final String SHARD = "bolmo.prepare.shard";
    private static final String FIRST = "bolmo.prepare.first";
    private static final String END = "bolmo.prepare.end";
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJobConfiguration.class);

    static final class Validator extends JobValidator {

        Validator(PathConfinement confinement) {
            super(PrepareJobParameters.JOB, confinement);
        }

        @Override
        List<java.nio.file.Path> check(JobParameters parameters) {
            PrepareJobParameters p = PrepareJobParameters.of(parameters);
            p.corpus();
            p.tokenizer();
            p.output();
            p.format();
            p.partitions();
            return null; // the shard directory is checked by output(): new, empty or shards
        }
    }

    @Bean
    JobDescription prepareDescription() {
        return PrepareJobParameters.JOB;
    }

    /** The shards the corpus is cut into: {@code partitions}, or fewer when it has fewer documents. */
    static int shards(PrepareJobParameters p, Corpus corpus) {
        if (corpus.documentCount() == 0) {
            throw new IllegalArgumentException("corpus " + p.corpus() + " has no documents");
        }
        return Math.min(p.partitions(), corpus.documentCount());
    }

    @Bean
    @StepScope
    Partitioner preparePartitioner(@Value("#{stepExecution}") StepExecution manager) {
        return gridSize -> {
            PrepareJobParameters p = PrepareJobParameters.of(manager.getJobParameters());
            try (Corpus corpus = Corpus.open(p.corpus(), p.format().corpusOptions())) {
                int n = shards(p, corpus);
                List<String> names = EvalPartitions.names("shard", n);
                Map<String, ExecutionContext> out = new LinkedHashMap<>();
                for (int k = 0; k < n; k++) {
                    ExecutionContext c = new ExecutionContext();
                    c.putInt(SHARD, k);
                    c.putInt(FIRST, (int) ((long) corpus.documentCount() * k / n));
                    c.putInt(END, (int) ((long) corpus.documentCount() * (k + 1) / n));
                    out.put(names.get(k), c);
                }
                return out;
            }
        };
    }

    @Bean
    Step preparePartition(JobRepository repository, PlatformTransactionManager tm, WorkerIdentity workerIdentity) {
        return new StepBuilder(WORKER_STEP, repository).tasklet((contribution, chunk) -> {
            StepExecution step = chunk.getStepContext().getStepExecution();
            ExecutionContext c = step.getExecutionContext();
            PrepareJobParameters p = PrepareJobParameters.of(step.getJobParameters());
            SubwordVocabulary vocab = SubwordVocabulary.load(p.tokenizer());
            try (Corpus corpus = Corpus.open(p.corpus(), p.format().corpusOptions());
                    HfSubwordEncoder subwords = HfSubwordEncoder.open(p.tokenizer())) {
                PreparedShards.Shard s = PreparedShards.writeShard(p.output(), c.getInt(SHARD), corpus,
                        c.getInt(FIRST), c.getInt(END), p.format().encoder(subwords, vocab));
                c.putLong("bolmo.prepare.bytes", s.bytes());
                c.putLong("bolmo.prepare.tokens", s.tokens());
                contribution.incrementWriteCount(s.count());
                LOG.info("shard {}: documents {}..{}, {} bytes, {} subword tokens", s.index(), s.first(),
                        s.first() + s.count() - 1, s.bytes(), s.tokens());
            }
            return RepeatStatus.FINISHED;
        }, tm).listener(workerIdentity).build();
    }

    @Bean
    Step preparePartitions(PartitionSteps steps, Step preparePartition, Partitioner preparePartitioner) {
        return steps.manager(JOB_NAME, preparePartition, preparePartitioner, false);
    }

    @Bean
    Step prepareManifest(JobRepository repository, PlatformTransactionManager tm) {
        return new StepBuilder("prepareManifest", repository).tasklet((contribution, chunk) -> {
            PrepareJobParameters p = PrepareJobParameters.of(chunk.getStepContext().getStepExecution()
                    .getJobParameters());
            try (Corpus corpus = Corpus.open(p.corpus(), p.format().corpusOptions())) {
                LOG.info("prepared shards complete: {}", PreparedShards.writeManifest(p.output(), shards(p, corpus),
                        p.format(), p.tokenizer(), corpus));
            }
            return RepeatStatus.FINISHED;
        }, tm).build();
    }

    @Bean
    Job prepare(JobRepository repository, Step preparePartitions, Step prepareManifest,
            ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .start(preparePartitions).next(prepareManifest).build();
    }
}
