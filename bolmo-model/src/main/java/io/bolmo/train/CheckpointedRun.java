package io.bolmo.train;

import com.google.gson.JsonObject;
import io.bolmo.io.CheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The skeleton every training run shares: where it writes, the checkpoint ({@link RunCheckpoints}: the run's files,
 * then the fault-injection hook, then {@code state.json} with the format, the step and the run's
 * {@link RunIdentity}) and, on resume, the refusal of a checkpoint of another format or other parameters. A run
 * supplies its objective and data: {@link #step}, its checkpoint files, its identity and any further state.
 */
public abstract class CheckpointedRun implements TrainingRun {

    private static final WriteHook NO_HOOK = tmp -> { };

    private final String format;
    private final Path output;
    private WriteHook writeHook = NO_HOOK;

    protected CheckpointedRun(String format, Path output) {
        this.format = format;
        this.output = output;
    }

    /** The parameters every checkpoint records and a resume must match. */
    protected abstract RunIdentity identity();

    /** Writes the model, optimizer and whatever else a resume reads into {@code dir} (not yet complete). */
    protected abstract void writeCheckpointFiles(Path dir) throws IOException;

    /** State beyond the format, the step and the identity (data cursor, best-so-far, settings). */
    protected void addState(JsonObject state) {
    }

    @Override
    public final Path output() {
        return output;
    }

    @Override
    public final void writeHook(WriteHook hook) {
        this.writeHook = hook == null ? NO_HOOK : hook;
    }

    /** Writes the complete state at the current step into {@code checkpoints/step-NNNNNN}, atomically. */
    @Override
    public final Path saveCheckpoint() {
        JsonObject state = new JsonObject();
        state.addProperty("format", format);
        state.addProperty("step", stepCount());
        identity().writeTo(state);
        addState(state);
        return RunCheckpoints.write(output, stepCount(), this::writeCheckpointFiles, writeHook, state);
    }

    /**
     * The {@code state.json} of {@code checkpoint}, after checking that it is of {@code format}, has the keys of the
     * identity and of {@code required}, and was written with the same parameters as {@code identity} (asked for
     * once the checkpoint is known to exist); a {@link io.bolmo.io.CheckpointException} names the checkpoint and the
     * difference.
     */
    protected static JsonObject readState(Path checkpoint, String format, Supplier<RunIdentity> identity,
            String... required) {
        List<String> keys = new ArrayList<>(List.of("step"));
        keys.addAll(List.of(required));
        JsonObject state = RunCheckpoints.readState(checkpoint, format, keys);
        RunIdentity id = identity.get();
        for (String k : id.requiredKeys()) {
            if (!state.has(k)) {
                throw new CheckpointException(checkpoint.resolve(RunCheckpoints.STATE_FILE) + ": missing \"" + k
                        + "\"");
            }
        }
        id.requireSame(checkpoint, state);
        return state;
    }

    /** Closes {@code opened} in reverse order after {@code failure}, adding what they throw to it. */
    protected static void closeAll(List<? extends AutoCloseable> opened, Throwable failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }
}
