package io.bolmo.batch;

import io.bolmo.train.Stage;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.listener.ExecutionContextPromotionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code byteify} job: step {@code stage1} then step {@code stage2}, each a {@link ByteifyTasklet}; with
 * {@code stage1-steps=0 init=DIR} step {@code stage2} alone, from the Bolmo model in {@code init}.
 */
@Configuration(proxyBeanMethods = false)
public class ByteifyJobConfiguration {

    public static final String JOB_NAME = "byteify";

    @Bean
    JobDescription byteifyDescription() {
        return ByteifyJobParameters.JOB;
    }

    @Bean
    ByteifyTasklet stage1Tasklet() {
        return new ByteifyTasklet(Stage.STAGE1);
    }

    @Bean
    ByteifyTasklet stage2Tasklet() {
        return new ByteifyTasklet(Stage.STAGE2);
    }

    @Bean
    Step stage1(JobRepository repository, PlatformTransactionManager tm, ByteifyTasklet stage1Tasklet) throws Exception {
        return step("stage1", Stage.STAGE1, repository, tm, stage1Tasklet);
    }

    @Bean
    Step stage2(JobRepository repository, PlatformTransactionManager tm, ByteifyTasklet stage2Tasklet) throws Exception {
        return step("stage2", Stage.STAGE2, repository, tm, stage2Tasklet);
    }

    @Bean
    Job byteify(JobRepository repository, Step stage1, Step stage2, ObjectProvider<PathConfinement> confinement) {
        JobExecutionDecider stages = (job, step) -> new FlowExecutionStatus(
                ByteifyJobParameters.of(job.getJobParameters()).stage1Skipped() ? STAGE2_ONLY : BOTH_STAGES);
        return new JobBuilder(JOB_NAME, repository)
                .validator(new ByteifyJobParametersValidator(confinement.getIfAvailable()))
                .listener(TrainingJobs.outputLock())
                .start(stages).on(STAGE2_ONLY).to(stage2)
                .from(stages).on(BOTH_STAGES).to(stage1).next(stage2)
                .end().build();
    }

    private static final String STAGE2_ONLY = "STAGE2_ONLY";
    private static final String BOTH_STAGES = "BOTH_STAGES";

    private static Step step(String name, Stage stage, JobRepository repository, PlatformTransactionManager tm,
            ByteifyTasklet tasklet) throws Exception {
        // the stage's export path goes up to the job context, where stage 2 (also after a restart) finds it
        ExecutionContextPromotionListener promote = new ExecutionContextPromotionListener();
        promote.setKeys(new String[] {ByteifyTasklet.finalKey(stage)});
        promote.setStrict(false);
        promote.afterPropertiesSet();
        return new StepBuilder(name, repository).tasklet(tasklet, tm)
                .listener((StepExecutionListener) tasklet).listener(promote).build();
    }
}
