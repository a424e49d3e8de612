package io.bolmo.batch;

import io.bolmo.train.ByteifyParameters;
import io.bolmo.train.ByteifyRun;
import io.bolmo.train.Stage;
import io.bolmo.train.StepMetrics;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * One byteifying stage as a restartable tasklet: each {@code execute()} is one chunk of {@code chunk-size} optimizer
 * steps that ends with an atomic checkpoint, and only then records the checkpoint's path and step in the step
 * ExecutionContext, which Spring Batch commits right after. A restart therefore resumes from the last checkpoint
 * whose record was committed (the model is not transactional: weights of a rolled-back chunk are simply reloaded).
 * Holds the state of the running step execution, so one instance runs one step at a time (as DJL requires anyway).
 */
public final class ByteifyTasklet implements StoppableTasklet, StepExecutionListener {

    /** Step context: the directory of the last committed checkpoint. */
    public static final String CHECKPOINT = "bolmo.checkpoint";
    /** Step context: the optimizer step of that checkpoint. */
    public static final String STEP = "bolmo.step";
    /** Step context, promoted to the job context: the stage's exported Hugging Face model. */
    public static final String FINAL_KEY_PREFIX = "bolmo.final.";

    private static final Logger LOG = LoggerFactory.getLogger(ByteifyTasklet.class);

    private final Stage stage;
    private ByteifyRun run;
    private Long stepExecutionId;
    private ByteifyJobParameters job;
    private ChunkProgress progress;
    private volatile boolean stopRequested;
    private volatile ByteifyRun.WriteHook writeHook;

    public ByteifyTasklet(Stage stage) {
        this.stage = stage;
    }

    /** The job-context key under which stage {@code s} publishes its final model directory. */
    public static String finalKey(Stage s) {
        return FINAL_KEY_PREFIX + s.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Opens the run: resumed from the recorded checkpoint on a restart, otherwise started fresh. */
    @Override
    public void beforeStep(StepExecution stepExecution) {
        if (run != null && java.util.Objects.equals(stepExecution.getId(), stepExecutionId)) {
            return; // registered twice as listener (builder and explicit): open once
        }
        closeRun();
        stopRequested = false;
        job = ByteifyJobParameters.of(stepExecution.getJobParameters());
        ByteifyParameters params = stage == Stage.STAGE1 ? job.stage1()
                : job.stage2(stage1Output(stepExecution));
        ExecutionContext ctx = stepExecution.getExecutionContext();
        if (ctx.containsKey(CHECKPOINT)) {
            Path checkpoint = Path.of(ctx.getString(CHECKPOINT));
            LOG.info("{}: resuming from {} (step {})", stage, checkpoint, ctx.getLong(STEP));
            run = ByteifyRun.resume(checkpoint, params);
        } else {
            LOG.info("{}: starting from {} ({} steps, {} per chunk)", stage, params.init(), params.steps(),
                    job.chunkSize());
            run = ByteifyRun.start(params);
        }
        run.writeHook(writeHook);
        stepExecutionId = stepExecution.getId();
        progress = new ChunkProgress(stage, run.stepCount(), run.totalSteps());
    }

    /** Stage 1's export, as promoted to the job context, else its deterministic location. */
    private Path stage1Output(StepExecution stepExecution) {
        ExecutionContext jobCtx = stepExecution.getJobExecution().getExecutionContext();
        String key = finalKey(Stage.STAGE1);
        return jobCtx.containsKey(key) ? Path.of(jobCtx.getString(key))
                : job.stageOutput(Stage.STAGE1).resolve("final");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext ctx = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        // the previous chunk's record is committed by now, so older checkpoints may go
        ByteifyRun.pruneCheckpoints(run.parameters().output(), job.keepCheckpoints(),
                ctx.containsKey(CHECKPOINT) ? Path.of(ctx.getString(CHECKPOINT)) : null);
        StepMetrics last = null;
        int done = 0;
        while (done < job.chunkSize() && !run.finished() && !stopRequested) {
            last = run.step();
            done++;
        }
        if (done > 0) {
            Path checkpoint = run.saveCheckpoint(); // before the context: a committed record always has its files
            ctx.putString(CHECKPOINT, checkpoint.toAbsolutePath().toString());
            ctx.putLong(STEP, run.stepCount());
            contribution.incrementWriteCount(done);
            LOG.info(progress.line(run.stepCount(), last));
        }
        if (run.finished()) {
            Path exported = run.exportFinal(run.parameters().output().resolve("final"));
            ctx.putString(finalKey(stage), exported.toAbsolutePath().toString());
            LOG.info("{}: finished; model exported to {}", stage, exported);
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }

    /** Ends the current chunk after the running optimizer step; the step then stops at the chunk boundary. */
    @Override
    public void stop() {
        stopRequested = true;
    }

    /** Fault injection for tests: called while each checkpoint is half written (null: none). */
    public void writeHook(ByteifyRun.WriteHook hook) {
        this.writeHook = hook;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        closeRun();
        return null;
    }

    private void closeRun() {
        if (run != null) {
            run.close();
            run = null;
            stepExecutionId = null;
        }
    }
}
