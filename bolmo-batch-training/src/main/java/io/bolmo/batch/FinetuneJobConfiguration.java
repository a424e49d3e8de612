package io.bolmo.batch;

import io.bolmo.train.finetune.FinetuneParameters;
import io.bolmo.train.finetune.FinetuneRun;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * The {@code finetune} job: one step {@code finetune}, a {@link TrainingTasklet} over {@link FinetuneRun}, with the
 * restart guarantees, progress, metrics and checkpoint layout of {@code byteify} ({@code OUTPUT/checkpoints},
 * {@code OUTPUT/best}, {@code OUTPUT/final}, {@code OUTPUT/metrics.jsonl}).
 */
@Configuration(proxyBeanMethods = false)
public class FinetuneJobConfiguration {

    public static final String JOB_NAME = "finetune";
    private static final Logger LOG = LoggerFactory.getLogger(FinetuneJobConfiguration.class);

    /** Parameters, files and data (every chat line, the held-out split) are checked before anything runs. */
    public static final class Validator extends JobValidator {

        public Validator() {
            this(null);
        }

        public Validator(PathConfinement confinement) {
            super(FinetuneJobParameters.JOB, confinement);
        }

        @Override
        List<Path> check(JobParameters parameters) {
            FinetuneJobParameters p = FinetuneJobParameters.of(parameters);
            FinetuneParameters f = p.finetune();
            p.chunkSize();
            p.keepCheckpoints();
            try {
                f.checkFiles();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("job parameter " + e.getMessage(), e);
            }
            if (confinement() != null) {
                confinement().checkFile("model", f.tokenizerFile()); // named by the model's config.json
            }
            LOG.info("finetune data: {}", FinetuneRun.checkData(f));
            return List.of(f.output());
        }
    }

    @Bean
    JobDescription finetuneDescription() {
        return FinetuneJobParameters.JOB;
    }

    @Bean
    TrainingTasklet finetuneTasklet() {
        return new TrainingTasklet(JOB_NAME, TrainingTasklet.RunSource.of(
                step -> FinetuneRun.opener(FinetuneJobParameters.of(step.getJobParameters()).finetune()),
                p -> FinetuneJobParameters.of(p).chunkSize(), p -> FinetuneJobParameters.of(p).keepCheckpoints()));
    }

    @Bean
    Step finetuneStep(JobRepository repository, PlatformTransactionManager tm, TrainingTasklet finetuneTasklet) {
        return new StepBuilder(JOB_NAME, repository).tasklet(finetuneTasklet, tm)
                .listener((StepExecutionListener) finetuneTasklet).build();
    }

    @Bean
    Job finetune(JobRepository repository, Step finetuneStep, ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .listener(TrainingJobs.outputLock()).start(finetuneStep).build();
    }
}
