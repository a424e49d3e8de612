package io.bolmo.batch;

import io.bolmo.train.teacher.PretrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code pretrain} job: one step {@code pretrain}, a {@link TrainingTasklet} over {@link PretrainRun} (the
 * subword teacher that {@code byteify} then distils), with the restart guarantees, progress, metrics and checkpoint
 * layout of the other training jobs ({@code OUTPUT/checkpoints}, {@code OUTPUT/final}, {@code OUTPUT/metrics.jsonl}).
 */
@Configuration(proxyBeanMethods = false)
public class PretrainJobConfiguration {

    public static final String JOB_NAME = "pretrain";

    /**
     * Checks every parameter (and that given corpus files exist) before anything runs; the Europarl sample and the
     * bundled tokenizer are materialised into the claimed output when the run opens.
     */
    static final class Validator extends JobValidator {

        Validator() {
            this(null);
        }

        Validator(PathConfinement confinement) {
            super(PretrainJobParameters.JOB, confinement);
        }

        @Override
        List<Path> check(JobParameters parameters) {
            PretrainJobParameters p = PretrainJobParameters.of(parameters);
            p.chunkSize();
            p.keepCheckpoints();
            p.check();
            for (Path c : p.givenCorpus()) {
                if (!Files.exists(c)) {
                    throw new IllegalArgumentException("job parameter 'corpus': " + c + " does not exist");
                }
            }
            return List.of(p.values().path("output"));
        }
    }

    @Bean
    JobDescription pretrainDescription() {
        return PretrainJobParameters.JOB;
    }

    @Bean
    TrainingTasklet pretrainTasklet() {
        return new TrainingTasklet(JOB_NAME, TrainingTasklet.RunSource.of(
                step -> PretrainRun.opener(PretrainJobParameters.of(step.getJobParameters()).run()),
                p -> PretrainJobParameters.of(p).chunkSize(), p -> PretrainJobParameters.of(p).keepCheckpoints()));
    }

    @Bean
    Step pretrainStep(JobRepository repository, PlatformTransactionManager tm, TrainingTasklet pretrainTasklet) {
        return new StepBuilder(JOB_NAME, repository).tasklet(pretrainTasklet, tm)
                .listener((StepExecutionListener) pretrainTasklet).build();
    }

    @Bean
    Job pretrain(JobRepository repository, Step pretrainStep, ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .listener(TrainingJobs.outputLock()).start(pretrainStep).build();
    }
}
