package io.bolmo.train;

import io.bolmo.io.CheckpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs a {@link TrainingRun} chunk by chunk with checkpoints: the one loop behind the batch jobs' tasklet and the
 * command line. {@link #open} resumes from the checkpoint the caller last committed, else from the newest complete
 * checkpoint on disk that belongs to the run (a commit lost with a killed process, or a restart killed before its
 * first commit, costs no work), else starts fresh; {@link #chunk} runs steps, evaluates and checkpoints;
 * {@link #prune} deletes old checkpoints, never the committed one. Every step and evaluation goes to the run's
 * {@code metrics.jsonl} ({@link MetricsLog}, truncated to the checkpoint on resume) and to the caller's
 * {@link Listener}.
 *
 * <p>The caller owns the output directory while the driver is open (in the jobs, its lock): {@link #open} clears
 * what interrupted writes left there.
 */
public final class RunDriver implements AutoCloseable {

    /** What the caller shows or records; called on the driving thread. */
    public interface Listener {

        /** The run is open (fresh or resumed, see {@link #resumedFrom}), before the step-0 evaluation of a fresh one. */
        default void opened(RunDriver driver) {
        }

        default void stepped(StepMetrics m) {
        }

        default void evaluated(HeldOutMetrics m) {
        }
    }

    /**
     * One chunk: {@code steps} optimizer steps (0: none ran, nothing was written), the last step's metrics, the
     * evaluation after it (null when the run has none) and the checkpoint written at its end.
     */
    public record Chunk(int steps, StepMetrics last, HeldOutMetrics eval, Path checkpoint) {}

    private static final TrainingRun.WriteHook NO_HOOK = tmp -> { };

    private final TrainingRun run;
    private final Path resumedFrom;
    private final List<String> notes;
    private final MetricsLog metrics;
    private final Listener listener;
    private TrainingRun.WriteHook faultHook = NO_HOOK;

    private RunDriver(TrainingRun run, Path resumedFrom, List<String> notes, Listener listener) {
        this.run = run;
        this.resumedFrom = resumedFrom;
        this.notes = Collections.unmodifiableList(notes);
        this.metrics = MetricsLog.in(run.output());
        this.listener = listener;
    }

    /**
     * Opens the run: from {@code committed} (the checkpoint the caller's last committed record names; null: none)
     * when it can be resumed, else from the newest complete checkpoint under the output that belongs to this run
     * (one written with other parameters is skipped), else fresh, with the held-out evaluation of step 0.
     * {@link #notes()} says why when the committed checkpoint was not the one resumed. Fails, rather than start
     * over, when checkpoints exist but none can be resumed.
     */
    public static RunDriver open(RunOpener opener, Path committed, Listener listener) {
        RunCheckpoints.removeLeftovers(opener.output());
        List<String> notes = new ArrayList<>();
        TrainingRun run = null;
        Path from = null;
        if (committed != null) {
            try {
                run = opener.resume(committed);
                from = committed;
            } catch (CheckpointException e) {
                notes.add("the committed checkpoint cannot be resumed (" + e.getMessage() + ")");
            }
        }
        List<Path> onDisk = new ArrayList<>(RunCheckpoints.list(opener.output()));
        Collections.reverse(onDisk);
        for (int i = 0; run == null && i < onDisk.size(); i++) {
            Path c = onDisk.get(i);
            if (c.toAbsolutePath().normalize().equals(committed == null ? null
                    : committed.toAbsolutePath().normalize())) {
                continue;
            }
            try {
                run = opener.resume(c);
                from = c;
                notes.add((committed == null ? "no checkpoint was committed (a restart killed before its first"
                        + " chunk committed, or a commit lost with its process)" : "falling back")
                        + "; resuming from the newest complete checkpoint on disk, " + c);
            } catch (CheckpointException e) {
                notes.add("skipped " + c + ": " + e.getMessage());
            }
        }
        if (run == null && !onDisk.isEmpty()) {
            throw new CheckpointException("none of the checkpoints under " + opener.output() + " can be resumed: "
                    + String.join("; ", notes));
        }
        if (run == null) {
            run = opener.start();
        }
        RunDriver driver = new RunDriver(run, from, notes, listener);
        try {
            driver.metrics.truncate(from == null ? -1 : run.stepCount()); // entries past the checkpoint recur
            listener.opened(driver);
            if (from == null) {
                driver.evaluate(); // the starting point, step 0
            }
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return driver;
    }

    /**
     * Runs up to {@code maxSteps} optimizer steps (fewer when the run finishes or {@code stop} turns true, checked
     * before each), then the run's evaluation and an atomic checkpoint. Nothing is written when no step ran.
     */
    public Chunk chunk(int maxSteps, BooleanSupplier stop) {
        StepMetrics last = null;
        int done = 0;
        while (done < maxSteps && !run.finished() && !stop.getAsBoolean()) {
            last = run.step();
            metrics.append(last);
            listener.stepped(last);
            done++;
        }
        if (done == 0) {
            return new Chunk(0, null, null, null);
        }
        HeldOutMetrics eval = evaluate().orElse(null);
        return new Chunk(done, last, eval, run.saveCheckpoint());
    }

    /** Deletes all but the newest {@code keep} checkpoints, never {@code committed}. */
    public void prune(int keep, Path committed) {
        RunCheckpoints.prune(run.output(), keep, committed, faultHook);
    }

    /** Writes the model alone as a Hugging Face directory (atomically). */
    public Path export(Path dir) {
        return run.exportFinal(dir);
    }

    /**
     * Fault injection for tests: called with the half-done directory while a checkpoint is written
     * ({@code .step-N.tmp-*}) and while pruning deletes one ({@code .deleted-step-N}); null: none.
     */
    public void faultHook(TrainingRun.WriteHook hook) {
        this.faultHook = hook == null ? NO_HOOK : hook;
        run.writeHook(hook);
    }

    public TrainingRun run() {
        return run;
    }

    /** The checkpoint the run was resumed from; null when it started fresh. */
    public Path resumedFrom() {
        return resumedFrom;
    }

    /** Why the run was not resumed from the committed checkpoint (for the log); empty when it was. */
    public List<String> notes() {
        return notes;
    }

    private Optional<HeldOutMetrics> evaluate() {
        Optional<HeldOutMetrics> e = run.evaluate();
        e.ifPresent(m -> {
            metrics.append(m);
            listener.evaluated(m);
        });
        return e;
    }

    @Override
    public void close() {
        run.close();
    }
}
