package io.bolmo.batch;

import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.MetricsLog;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * A {@link TrainingRun} (a byteifying stage, a fine-tune) as a restartable tasklet: each {@code execute()} is one
 * chunk of {@code chunk-size} optimizer steps, then the run's held-out evaluation (where it has one), then an atomic
 * checkpoint, and only then the record of the checkpoint's path and step in the step ExecutionContext, which Spring
 * Batch commits right after. A restart therefore resumes from the last checkpoint whose record was committed (the
 * model is not transactional: weights of a rolled-back chunk are simply reloaded).
 *
 * <p>Progress: one log line per chunk ({@link ChunkProgress}); per step and per evaluation a line of
 * {@code OUTPUT/metrics.jsonl} ({@link MetricsLog}, truncated to the checkpoint on a restart); in the step context
 * {@code bolmo.step}, {@code bolmo.total-steps}, {@code bolmo.metrics} (the metrics file) and the last losses.
 * Holds the state of the running step execution, so one instance runs one step at a time (as DJL requires anyway).
 */
public class TrainingTasklet implements StoppableTasklet, StepExecutionListener {

    /** Step context: the directory of the last committed checkpoint. */
    public static final String CHECKPOINT = "bolmo.checkpoint";
    /** Step context: the optimizer step of that checkpoint. */
    public static final String STEP = "bolmo.step";
    /** Step context: the run's optimizer steps in all. */
    public static final String TOTAL_STEPS = "bolmo.total-steps";
    /** Step context: the run's {@code metrics.jsonl}. */
    public static final String METRICS = "bolmo.metrics";
    /** Step context: the last chunk's last training loss. */
    public static final String LOSS = "bolmo.loss";
    /** Step context: the last held-out loss and bits per byte. */
    public static final String EVAL_LOSS = "bolmo.eval-loss";
    public static final String EVAL_BPB = "bolmo.eval-bpb";
    /** Step context, promoted to the job context: the run's exported Hugging Face model. */
    public static final String FINAL_KEY_PREFIX = "bolmo.final.";

    /** Opens the run of a step execution: fresh when {@code checkpoint} is null, else resumed from it. */
    public interface RunSource {

        TrainingRun open(StepExecution step, Path checkpoint);

        /** Optimizer steps per chunk (= per checkpoint). */
        int chunkSize(JobParameters parameters);

        /** Checkpoints kept (the committed one is never deleted). */
        int keepCheckpoints(JobParameters parameters);

        /** A source from its three functions. */
        static RunSource of(java.util.function.BiFunction<StepExecution, Path, TrainingRun> open,
                java.util.function.ToIntFunction<JobParameters> chunkSize,
                java.util.function.ToIntFunction<JobParameters> keepCheckpoints) {
            return new RunSource() {
                @Override
                public TrainingRun open(StepExecution step, Path checkpoint) {
                    return open.apply(step, checkpoint);
                }

                @Override
                public int chunkSize(JobParameters parameters) {
                    return chunkSize.applyAsInt(parameters);
                }

                @Override
                public int keepCheckpoints(JobParameters parameters) {
                    return keepCheckpoints.applyAsInt(parameters);
                }
            };
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TrainingTasklet.class);

    private final String name;
    private final RunSource source;
    private volatile TrainingRun run;
    private volatile Long stepExecutionId;
    private JobParameters parameters;
    private MetricsLog metrics;
    private ChunkProgress progress;
    private volatile boolean stopRequested;
    private volatile TrainingRun.WriteHook writeHook;

    /** @param name the run's name in keys and logs ({@code stage1}, {@code finetune}) */
    public TrainingTasklet(String name, RunSource source) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.source = source;
    }

    /** The step-context key under which this tasklet publishes its final model directory. */
    public String finalKey() {
        return FINAL_KEY_PREFIX + name;
    }

    /** Opens the run: resumed from the recorded checkpoint on a restart, otherwise started fresh. */
    @Override
    public void beforeStep(StepExecution stepExecution) {
        if (run != null && Objects.equals(stepExecution.getId(), stepExecutionId)) {
            return; // registered twice as listener (builder and explicit): open once
        }
        if (run != null) {
            // Batch marks a stopped job STOPPED before its running chunk ends; its run is still stepping
            throw new IllegalStateException("step execution " + stepExecutionId + " is still running in this JVM (one"
                    + " training run per JVM); restart once it has ended");
        }
        stopRequested = false;
        parameters = stepExecution.getJobParameters();
        ExecutionContext ctx = stepExecution.getExecutionContext();
        Path checkpoint = ctx.containsKey(CHECKPOINT) ? Path.of(ctx.getString(CHECKPOINT)) : null;
        if (checkpoint != null) {
            LOG.info("{}: resuming from {} (step {})", name, checkpoint, ctx.getLong(STEP));
        }
        run = source.open(stepExecution, checkpoint);
        stepExecutionId = stepExecution.getId();
        try {
            prepare(ctx, checkpoint);
        } catch (RuntimeException e) {
            closeRun();
            throw e;
        }
    }

    private void prepare(ExecutionContext ctx, Path checkpoint) {
        run.writeHook(writeHook);
        if (checkpoint == null) {
            LOG.info("{}: starting ({} steps, {} per chunk) into {}", name, run.totalSteps(),
                    source.chunkSize(parameters), run.output());
        }
        metrics = MetricsLog.in(run.output());
        metrics.truncate(checkpoint == null ? -1 : run.stepCount()); // entries past the checkpoint are recomputed
        ctx.putString(METRICS, metrics.file().toAbsolutePath().toString());
        ctx.putLong(TOTAL_STEPS, run.totalSteps());
        if (checkpoint == null) {
            run.evaluate().ifPresent(e -> record(ctx, e)); // the starting point, step 0
        }
        progress = new ChunkProgress(name.toUpperCase(Locale.ROOT), run.stepCount(), run.totalSteps());
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext ctx = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        // the previous chunk's record is committed by now, so older checkpoints may go
        RunCheckpoints.prune(run.output(), source.keepCheckpoints(parameters),
                ctx.containsKey(CHECKPOINT) ? Path.of(ctx.getString(CHECKPOINT)) : null);
        StepMetrics last = null;
        int done = 0;
        int chunk = source.chunkSize(parameters);
        while (done < chunk && !run.finished() && !stopRequested) {
            last = run.step();
            metrics.append(last);
            done++;
        }
        if (done > 0) {
            Optional<HeldOutMetrics> eval = run.evaluate();
            eval.ifPresent(e -> record(ctx, e));
            Path checkpoint = run.saveCheckpoint(); // before the context: a committed record always has its files
            ctx.putString(CHECKPOINT, checkpoint.toAbsolutePath().toString());
            ctx.putLong(STEP, run.stepCount());
            ctx.putDouble(LOSS, last.total());
            contribution.incrementWriteCount(done);
            LOG.info(progress.line(run.stepCount(), last, eval.orElse(null)));
        }
        if (stopRequested && !run.finished()) {
            // a stop asked in this JVM (stop()): end the step STOPPED at this chunk boundary without a repository
            // round trip (JobOperator.stop from another thread updates the step execution concurrently)
            chunkContext.getStepContext().getStepExecution().setTerminateOnly();
        }
        if (run.finished()) {
            Path exported = run.exportFinal(run.output().resolve("final"));
            ctx.putString(finalKey(), exported.toAbsolutePath().toString());
            LOG.info("{}: finished; model exported to {}", name, exported);
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }

    private void record(ExecutionContext ctx, HeldOutMetrics e) {
        metrics.append(e);
        ctx.putDouble(EVAL_LOSS, e.loss());
        ctx.putDouble(EVAL_BPB, e.bitsPerByte());
        LOG.info("{}: step {} {}", name, e.step(), e.format());
    }

    /** Whether a step execution is between its start and its end in this tasklet (its run is open). */
    public boolean busy() {
        return run != null;
    }

    /** The step execution whose run is open, or null. */
    public Long runningStepExecution() {
        return run != null ? stepExecutionId : null;
    }

    /** Ends the current chunk after the running optimizer step; the step then stops at the chunk boundary. */
    @Override
    public void stop() {
        stopRequested = true;
    }

    /** Fault injection for tests: called while each checkpoint is half written (null: none). */
    public void writeHook(TrainingRun.WriteHook hook) {
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
