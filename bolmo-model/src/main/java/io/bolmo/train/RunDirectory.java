package io.bolmo.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.CheckpointException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A run's output directory and who owns it. {@code run.json} names the run that claimed it (its command or job and
 * parameters, {@link #claim}): another run is refused there unless it says to overwrite, so one run cannot
 * overwrite another's checkpoints and models. {@code run.lock} is locked by the process while the run executes
 * ({@link #lock}): the operating system releases it when the process dies, so "is the run still alive?" has an
 * answer that a database status (left {@code STARTED} by a killed process) cannot give.
 */
public final class RunDirectory {

    public static final String OWNER_FILE = "run.json";
    public static final String LOCK_FILE = "run.lock";

    /** Lock files this JVM holds: a second channel on one of them must not be opened and closed (POSIX locks). */
    private static final Set<Path> HELD = new HashSet<>();

    private RunDirectory() {}

    /**
     * Claims {@code output} for the run {@code owner} (a JSON description: command or job and its parameters). A
     * directory that is new, empty or already {@code owner}'s is taken (a restart is the same owner); one that
     * another run claimed, or that holds files of no run, is refused unless {@code overwrite}, which deletes the
     * run artifacts found in {@code runOutputs} ({@link RunCheckpoints#clear}: checkpoints, models, metrics) and
     * nothing else.
     */
    public static void claim(Path output, JsonObject owner, boolean overwrite, List<Path> runOutputs) {
        Path file = output.resolve(OWNER_FILE);
        JsonObject previous = readOwner(file);
        if (owner.equals(previous)) {
            return;
        }
        if (!overwrite) {
            if (previous != null) {
                throw new IllegalArgumentException("output " + output + " belongs to another run ("
                        + difference(previous, owner) + "); choose another output, or pass overwrite=true to replace"
                        + " that run's checkpoints and models");
            }
            if (!isEmpty(output)) {
                throw new IllegalArgumentException("output " + output + " is not empty and no run claims it (no "
                        + OWNER_FILE + "); choose a new or empty directory, or pass overwrite=true to write into it");
            }
        }
        if (overwrite) {
            runOutputs.forEach(RunCheckpoints::clear);
        }
        AtomicFiles.writeFile(file, tmp -> Files.writeString(tmp, RunCheckpoints.JSON.toJson(owner),
                StandardCharsets.UTF_8));
    }

    /** The owner recorded in {@code output}, or null. */
    public static JsonObject owner(Path output) {
        return readOwner(output.resolve(OWNER_FILE));
    }

    /**
     * Locks {@code output} for this process until {@link Lock#close}; refuses when a live process (this one
     * included) holds it.
     */
    public static Lock lock(Path output) {
        Path file = lockFile(output);
        synchronized (HELD) {
            if (HELD.contains(file)) {
                throw new IllegalStateException(inUse(output) + " (in this process)");
            }
            FileChannel ch = null;
            try {
                Files.createDirectories(output);
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    ch.close();
                    throw new IllegalStateException(inUse(output) + " (by another process)");
                }
                HELD.add(file);
                return new Lock(file, ch, lock);
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(ch);
                throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether a live process (this one included) holds the lock of {@code output}. */
    public static boolean isLocked(Path output) {
        Path file = lockFile(output);
        synchronized (HELD) {
            if (HELD.contains(file)) {
                return true;
            }
            if (!Files.isRegularFile(file)) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    return true;
                }
                lock.release();
                return false;
            } catch (IOException | OverlappingFileLockException e) {
                return true; // cannot tell: treat as alive, the safe side for "may I recover it?"
            }
        }
    }

    /** A held lock; closing releases it. */
    public static final class Lock implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            synchronized (HELD) {
                try {
                    lock.release();
                } catch (IOException ignored) {
                    // closing the channel releases it as well
                }
                closeQuietly(channel);
                HELD.remove(file);
            }
        }
    }

    private static Path lockFile(Path output) {
        return output.toAbsolutePath().normalize().resolve(LOCK_FILE);
    }

    private static String inUse(Path output) {
        return "output " + output + " is in use by a running run (its " + LOCK_FILE + " is locked)";
    }

    private static JsonObject readOwner(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new CheckpointException(file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** How the owner {@code there} differs from {@code here}: the differing parameters, or the whole record. */
    private static String difference(JsonObject there, JsonObject here) {
        JsonObject a = there.has("parameters") && there.get("parameters").isJsonObject()
                ? there.getAsJsonObject("parameters") : null;
        JsonObject b = here.has("parameters") && here.get("parameters").isJsonObject()
                ? here.getAsJsonObject("parameters") : null;
        String who = there.has("job") ? "job " + there.get("job").getAsString()
                : there.has("command") ? there.get("command").getAsString() : "";
        if (a == null || b == null || !Objects.equals(there.get("job"), here.get("job"))) {
            String s = there.toString();
            return s.length() <= 300 ? s : s.substring(0, 300) + "…";
        }
        List<String> diffs = new ArrayList<>();
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                diffs.add(k + "=" + text(a, k) + " there, " + text(b, k) + " here");
            }
        }
        return who + " with other parameters: " + String.join("; ", diffs.subList(0, Math.min(diffs.size(), 6)))
                + (diffs.size() > 6 ? "; …" : "");
    }

    private static String text(JsonObject o, String key) {
        String v = o.has(key) ? o.get(key).getAsString() : "(none)";
        return v.length() <= 80 ? v : v.substring(0, 80) + "…";
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return !Files.exists(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(LOCK_FILE));
        } catch (IOException e) {
            throw new CheckpointException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
