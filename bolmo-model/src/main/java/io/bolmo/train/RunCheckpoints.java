package io.bolmo.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.train.data.DataCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint directories that every {@link TrainingRun} writes: {@code output/checkpoints/step-NNNNNN}, each
 * written atomically (temp sibling, then rename) and complete once its {@code state.json} exists, which is written
 * last. One place for their names, listing and pruning, the state file, and the refusal to resume a checkpoint with
 * other parameters.
 */
public final class RunCheckpoints {

    public static final String STATE_FILE = "state.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{6,})");
    /** What {@link AtomicFiles#replaceDirectory} leaves aside while it swaps a directory. */
    private static final Pattern OLD_COPY = Pattern.compile("\\.(step-\\d{6,})\\.old-.*");
    private static final String DELETED_PREFIX = ".deleted-";
    /** The JSON of state files: pretty-printed, NaN and infinities kept. */
    public static final Gson JSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private RunCheckpoints() {
    }

    /** The checkpoint directory of {@code step} under {@code output}. */
    public static Path dir(Path output, long step) {
        return output.resolve("checkpoints").resolve(String.format(Locale.ROOT, "step-%06d", step));
    }

    /**
     * Writes checkpoint {@code step} under {@code output}: {@code contents} (model, optimizer, ...), then the run's
     * fault-injection {@code hook} on the half-written directory, then {@code state.json}. A reader, or a restart
     * after a crash at any point, sees the whole directory or none of it. Returns the directory.
     */
    public static Path write(Path output, long step, AtomicFiles.Body contents, TrainingRun.WriteHook hook,
            JsonObject state) {
        Path target = dir(output, step);
        AtomicFiles.replaceDirectory(target, tmp -> {
            contents.write(tmp);
            hook.partiallyWritten(tmp);
            // last: its presence marks a complete directory even for a reader that ignores the rename
            Files.writeString(tmp.resolve(STATE_FILE), JSON.toJson(state), StandardCharsets.UTF_8);
        });
        return target;
    }

    /**
     * The {@code state.json} of {@code checkpoint}, checked to be of {@code format} and to hold every key of
     * {@code required}; a {@link CheckpointException} names the checkpoint and what is missing or unreadable.
     */
    public static JsonObject readState(Path checkpoint, String format, List<String> required) {
        Path file = checkpoint.resolve(STATE_FILE);
        if (!Files.isDirectory(checkpoint)) {
            throw new CheckpointException("checkpoint directory not found: " + checkpoint);
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint " + checkpoint + " is incomplete: " + STATE_FILE
                    + " is missing (not written by a finished saveCheckpoint)");
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!o.has("format") || !format.equals(o.get("format").getAsString())) {
                throw new CheckpointException(file + ": format is " + o.get("format") + ", expected " + format);
            }
            for (String k : required) {
                if (!o.has(k)) {
                    throw new CheckpointException(file + ": missing \"" + k + "\"");
                }
            }
            return o;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new CheckpointException(file + ": unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The data cursor of a checkpoint's {@code state}, after checking that the checkpoint has every file a resume
     * reads (model, tokenizer, optimizer); a {@link CheckpointException} names what is missing or unreadable.
     */
    public static DataCursor resumeCursor(Path checkpoint, JsonObject state) {
        for (String f : List.of(HfCheckpoint.CONFIG_FILE, SafetensorsWriter.SINGLE_FILE, TOKENIZER_FILE,
                OPTIMIZER_FILE)) {
            if (!Files.isRegularFile(checkpoint.resolve(f))) {
                throw new CheckpointException("checkpoint " + checkpoint + " is incomplete: " + f + " is missing");
            }
        }
        try {
            return DataCursor.fromJson(state.get("data").toString());
        } catch (RuntimeException e) {
            throw new CheckpointException(checkpoint.resolve(STATE_FILE) + ": bad data cursor: " + e.getMessage(), e);
        }
    }

    /** Refuses a resume whose parameter {@code name} differs from the one the checkpoint was written with. */
    public static void requireSame(Path checkpoint, String name, Object saved, Object given) {
        if (!saved.equals(given)) {
            throw new CheckpointException("checkpoint " + checkpoint + " was written with " + name + " = " + saved
                    + " but this run has " + name + " = " + given + "; resume with the original parameters");
        }
    }

    /** The newest complete {@code step-NNNNNN} directory under {@code output/checkpoints}, if any. */
    public static Optional<Path> latest(Path output) {
        return list(output).stream().reduce((a, b) -> b);
    }

    /** Complete checkpoints under {@code output/checkpoints}, oldest first (temp and half-written ones skipped). */
    public static List<Path> list(Path output) {
        Path dir = output.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .sorted(Comparator.comparingLong(RunCheckpoints::stepOf)).toList();
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes all but the newest {@code keep} (at least one) checkpoints, never {@code protect} (the one the committed
     * state names). Each is first renamed out of the {@code step-NNNNNN} names (atomically) and only then deleted, so
     * a process killed while deleting leaves a dot directory that {@link #removeLeftovers} clears, never a
     * half-deleted checkpoint that looks complete. {@code hook} is called with each renamed directory (fault
     * injection in tests).
     */
    public static void prune(Path output, int keep, Path protect, TrainingRun.WriteHook hook) {
        List<Path> all = list(output);
        for (int i = 0; i < all.size() - Math.max(1, keep); i++) {
            Path p = all.get(i);
            if (protect != null && p.toAbsolutePath().normalize().equals(protect.toAbsolutePath().normalize())) {
                continue;
            }
            Path doomed = p.resolveSibling(DELETED_PREFIX + p.getFileName());
            try {
                Files.move(p, doomed, StandardCopyOption.ATOMIC_MOVE);
                hook.partiallyWritten(doomed);
                AtomicFiles.deleteTree(doomed);
            } catch (IOException e) {
                throw new CheckpointException("cannot delete old checkpoint " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@link #prune(Path, int, Path, TrainingRun.WriteHook)} without a hook. */
    public static void prune(Path output, int keep, Path protect) {
        prune(output, keep, protect, tmp -> { });
    }

    /**
     * Clears what interrupted writes and deletions left under {@code output/checkpoints}: temporary and deleted
     * directories (dot names) go; a previous copy that an interrupted replacement left aside ({@code .step-N.old-*})
     * is moved back when {@code step-N} itself is missing. Only for the process that owns the output (its lock).
     */
    public static void removeLeftovers(Path output) {
        Path dir = output.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.getFileName().toString().startsWith(".")).sorted().toList()) {
                Matcher old = OLD_COPY.matcher(p.getFileName().toString());
                Path target = old.matches() ? dir.resolve(old.group(1)) : null;
                if (target != null && !Files.exists(target) && Files.isRegularFile(p.resolve(STATE_FILE))) {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    AtomicFiles.deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot clear interrupted writes under " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the artifacts of a run in {@code output} ({@code checkpoints/}, {@code final/}, {@code best/},
     * {@code metrics.jsonl}) and nothing else, for a run that replaces another one there.
     */
    public static void clear(Path output) {
        for (String name : List.of("checkpoints", "final", "best", MetricsLog.FILE)) {
            try {
                AtomicFiles.deleteTree(output.resolve(name));
            } catch (IOException e) {
                throw new CheckpointException("cannot delete " + output.resolve(name) + ": " + e.getMessage(), e);
            }
        }
    }

    private static long stepOf(Path p) {
        Matcher m = STEP_DIR.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
