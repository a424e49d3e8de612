package io.bolmo.batch;

import io.bolmo.train.ByteifyParameters;
import io.bolmo.train.ByteifyRun;
import io.bolmo.train.Stage;
import io.bolmo.train.RunOpener;
import java.nio.file.Path;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One byteifying stage as a restartable {@link TrainingTasklet}: Stage 1 from the teacher, Stage 2 from Stage 1's
 * export (found through the job context, else at its deterministic location).
 */
public final class ByteifyTasklet extends TrainingTasklet {

    /** Step context: the directory of the last committed checkpoint. */
    public static final String CHECKPOINT = TrainingTasklet.CHECKPOINT;
    /** Step context: the optimizer step of that checkpoint. */
    public static final String STEP = TrainingTasklet.STEP;
    /** Step context, promoted to the job context: the stage's exported Hugging Face model. */
    public static final String FINAL_KEY_PREFIX = TrainingTasklet.FINAL_KEY_PREFIX;

    public ByteifyTasklet(Stage stage) {
        super(stage.name(), new Source(stage));
    }

    /** The job-context key under which stage {@code s} publishes its final model directory. */
    public static String finalKey(Stage s) {
        return FINAL_KEY_PREFIX + s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private record Source(Stage stage) implements RunSource {

        @Override
        public RunOpener opener(StepExecution step) {
            ByteifyJobParameters job = ByteifyJobParameters.of(step.getJobParameters());
            ByteifyParameters params = stage == Stage.STAGE1 ? job.stage1() : job.stage2(stage1Output(step, job));
            return ByteifyRun.opener(params);
        }

        /** Stage 1's export, as promoted to the job context, else its deterministic location. */
        private static Path stage1Output(StepExecution step, ByteifyJobParameters job) {
            ExecutionContext jobCtx = step.getJobExecution().getExecutionContext();
            String key = finalKey(Stage.STAGE1);
            return jobCtx.containsKey(key) ? Path.of(jobCtx.getString(key))
                    : job.stageOutput(Stage.STAGE1).resolve("final");
        }

        @Override
        public int chunkSize(JobParameters parameters) {
            return ByteifyJobParameters.of(parameters).chunkSize();
        }

        @Override
        public int keepCheckpoints(JobParameters parameters) {
            return ByteifyJobParameters.of(parameters).keepCheckpoints();
        }
    }
}
