package io.bolmo.batch;

import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunDriver;
import io.bolmo.train.RunOpener;
import io.bolmo.train.TrainingRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
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
 * A {@link TrainingRun} (a byteifying stage, a fine-tune, a teacher pretraining) as a restartable tasklet over the
 * library's {@link RunDriver}: each {@code execute()} is one chunk of {@code chunk-size} optimizer steps, then the
 * run's held-out evaluation (where it has one), then an atomic checkpoint, and only then the record of the
 * checkpoint's path and step in the step ExecutionContext, which Spring Batch commits right after. Old checkpoints
 * are pruned at the start of the next chunk, once that record is committed, and never the committed one. A restart
 * resumes from the committed checkpoint, or, when the context names none (a restart killed before its first commit)
 * or a missing one (a commit lost with its process), from the newest complete checkpoint of the run on disk, saying
 * so in the log; the model is not transactional: weights of a rolled-back chunk are simply reloaded.
 *
 * <p>Progress: one log line per chunk ({@link ChunkProgress}); per step and per evaluation a line of
 * {@code OUTPUT/metrics.jsonl} (written by the driver, truncated to the checkpoint on a restart); in the step
 * context {@code bolmo.step}, {@code bolmo.total-steps}, {@code bolmo.metrics} (the metrics file) and the last
 * losses. Holds the state of the running step execution, so one instance runs one step at a time (as DJL requires
 * anyway).
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

    /** Opens the run of a step execution and says how it is chunked. */
    public interface RunSource {

        /** How to open the step's run, fresh or from a checkpoint. */
        RunOpener opener(StepExecution step);

        /** Optimizer steps per chunk (= per checkpoint). */
        int chunkSize(JobParameters parameters);

        /** Checkpoints kept (the committed one is never deleted). */
        int keepCheckpoints(JobParameters parameters);

        /** A source from its three functions. */
        static RunSource of(java.util.function.Function<StepExecution, RunOpener> opener,
                java.util.function.ToIntFunction<JobParameters> chunkSize,
                java.util.function.ToIntFunction<JobParameters> keepCheckpoints) {
            return new RunSource() {
                @Override
                public RunOpener opener(StepExecution step) {
                    return opener.apply(step);
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
    private volatile RunDriver driver;
    private volatile Long stepExecutionId;
    private JobParameters parameters;
    private ExecutionContext context;
    private ChunkProgress progress;
    private volatile boolean stopRequested;
    private volatile TrainingRun.WriteHook faultHook;

    /** @param name the run's name in keys and logs ({@code stage1}, {@code finetune}) */
    public TrainingTasklet(String name, RunSource source) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.source = source;
    }

    /** The step-context key under which this tasklet publishes its final model directory. */
    public String finalKey() {
        return FINAL_KEY_PREFIX + name;
    }

    /** Opens the run: resumed on a restart (see the class comment for which checkpoint), otherwise started fresh. */
    @Override
    public void beforeStep(StepExecution stepExecution) {
        if (driver != null && Objects.equals(stepExecution.getId(), stepExecutionId)) {
            return; // registered twice as listener (builder and explicit): open once
        }
        if (driver != null) {
            // Batch marks a stopped job STOPPED before its running chunk ends; its run is still stepping
            throw new IllegalStateException("step execution " + stepExecutionId + " is still running in this JVM (one"
                    + " training run per JVM); restart once it has ended");
        }
        stopRequested = false;
        parameters = stepExecution.getJobParameters();
        context = stepExecution.getExecutionContext();
        Path committed = context.containsKey(CHECKPOINT) ? Path.of(context.getString(CHECKPOINT)) : null;
        driver = RunDriver.open(source.opener(stepExecution), committed, new Recorder());
        stepExecutionId = stepExecution.getId();
        driver.faultHook(faultHook);
    }

    /** Logs how the run was opened and records its progress in the step context. */
    private final class Recorder implements RunDriver.Listener {

        @Override
        public void opened(RunDriver d) {
            TrainingRun run = d.run();
            d.notes().forEach(n -> LOG.warn("{}: {}", name, n));
            if (d.resumedFrom() != null) {
                LOG.info("{}: resuming from {} (step {})", name, d.resumedFrom(), run.stepCount());
            } else {
                LOG.info("{}: starting ({} steps, {} per chunk) into {}", name, run.totalSteps(),
                        source.chunkSize(parameters), run.output());
            }
            context.putString(METRICS, run.output().resolve(io.bolmo.train.MetricsLog.FILE).toAbsolutePath()
                    .toString());
            context.putLong(TOTAL_STEPS, run.totalSteps());
            progress = new ChunkProgress(name.toUpperCase(Locale.ROOT), run.stepCount(), run.totalSteps());
        }

        @Override
        public void evaluated(HeldOutMetrics e) {
            context.putDouble(EVAL_LOSS, e.loss());
            context.putDouble(EVAL_BPB, e.bitsPerByte());
            LOG.info("{}: step {} {}", name, e.step(), e.format());
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext ctx = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        // the previous chunk's record is committed by now, so older checkpoints may go
        driver.prune(source.keepCheckpoints(parameters),
                ctx.containsKey(CHECKPOINT) ? Path.of(ctx.getString(CHECKPOINT)) : null);
        RunDriver.Chunk chunk = driver.chunk(source.chunkSize(parameters), () -> stopRequested);
        TrainingRun run = driver.run();
        if (chunk.steps() > 0) {
            // the checkpoint is on disk before its record: a committed record always has its files
            ctx.putString(CHECKPOINT, chunk.checkpoint().toAbsolutePath().toString());
            ctx.putLong(STEP, run.stepCount());
            ctx.putDouble(LOSS, chunk.last().total());
            contribution.incrementWriteCount(chunk.steps());
            LOG.info(progress.line(run.stepCount(), chunk.last(), chunk.eval()));
        }
        if (stopRequested && !run.finished()) {
            // a stop asked in this JVM (stop()): end the step STOPPED at this chunk boundary without a repository
            // round trip (JobOperator.stop from another thread updates the step execution concurrently)
            chunkContext.getStepContext().getStepExecution().setTerminateOnly();
        }
        if (run.finished()) {
            Path exported = driver.export(run.output().resolve("final"));
            ctx.putString(finalKey(), exported.toAbsolutePath().toString());
            LOG.info("{}: finished; model exported to {}", name, exported);
            return RepeatStatus.FINISHED;
        }
        return RepeatStatus.CONTINUABLE;
    }

    /** Whether a step execution is between its start and its end in this tasklet (its run is open). */
    public boolean busy() {
        return driver != null;
    }

    /** The step execution whose run is open, or null. */
    public Long runningStepExecution() {
        return driver != null ? stepExecutionId : null;
    }

    /** Ends the current chunk after the running optimizer step; the step then stops at the chunk boundary. */
    @Override
    public void stop() {
        stopRequested = true;
    }

    /**
     * Fault injection for tests: called while each checkpoint is half written and while pruning deletes one
     * ({@link RunDriver#faultHook}); null: none.
     */
    public void writeHook(TrainingRun.WriteHook hook) {
        this.faultHook = hook;
        RunDriver d = driver;
        if (d != null) {
            d.faultHook(hook);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        closeRun();
        return null;
    }

    private void closeRun() {
        if (driver != null) {
            driver.close();
            driver = null;
            stepExecutionId = null;
        }
    }
}
