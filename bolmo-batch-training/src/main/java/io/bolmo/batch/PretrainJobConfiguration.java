package io.bolmo.batch;

import io.bolmo.train.teacher.PretrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
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

    /** Checks every parameter (and that given corpus and tokenizer files exist) before anything runs. */
    static final class Validator implements org.springframework.batch.core.job.parameters.JobParametersValidator {

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            try {
                PretrainJobParameters p = PretrainJobParameters.of(parameters);
                p.chunkSize();
                p.keepCheckpoints();
                PretrainRun.Parameters run = p.run();
                for (Path c : run.corpus()) {
                    if (!Files.exists(c)) {
                        throw new IllegalArgumentException("job parameter 'corpus': " + c + " does not exist");
                    }
                }
                if (!Files.isRegularFile(run.tokenizer())) {
                    throw new IllegalArgumentException("job parameter 'tokenizer': " + run.tokenizer()
                            + " is not a file");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidJobParametersException(e.getMessage());
            }
        }
    }

    @Bean
    TrainingTasklet pretrainTasklet() {
        return new TrainingTasklet(JOB_NAME, TrainingTasklet.RunSource.of(
                (step, checkpoint) -> PretrainRun.open(PretrainJobParameters.of(step.getJobParameters()).run(),
                        checkpoint),
                p -> PretrainJobParameters.of(p).chunkSize(), p -> PretrainJobParameters.of(p).keepCheckpoints()));
    }

    @Bean
    Step pretrainStep(JobRepository repository, PlatformTransactionManager tm, TrainingTasklet pretrainTasklet) {
        return new StepBuilder(JOB_NAME, repository).tasklet(pretrainTasklet, tm)
                .listener((StepExecutionListener) pretrainTasklet).build();
    }

    @Bean
    Job pretrain(JobRepository repository, Step pretrainStep) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator()).start(pretrainStep).build();
    }
}
