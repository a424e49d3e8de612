package io.bolmo.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Writes files and whole directories so that a reader sees either the old content or the complete new one:
 * everything is written into a temporary sibling, flushed to disk, then renamed into place.
 */
public final class AtomicFiles {

    /** Fills a temporary path (a file to create, or an empty directory to populate). */
    @FunctionalInterface
    public interface Body {
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code target} through {@code body}, which must create the file at the path it is given. */
    public static void writeFile(Path target, Body body) {
        Path parent = parentOf(target);
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
            Files.delete(tmp); // the body creates it, so it may open with CREATE_NEW
            body.write(tmp);
            fsync(tmp, false);
            move(tmp, target, true);
            fsync(parent, true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw failure("cannot write " + target, e);
        }
    }

    /**
     * Replaces the directory {@code target} by one that {@code body} fills. The old directory, if any, is moved
     * aside, the new one renamed into place and only then the old one deleted; if the body fails, {@code target}
     * is untouched and no temporary directory is left behind.
     *
     * <p>POSIX has no portable atomic swap of two directories, so between the two renames {@code target} is absent
     * for an instant; it is never half-written. After a crash in that instant the old copy survives as
     * {@code .NAME.old-*} next to it.
     */
    public static void replaceDirectory(Path target, Body body) {
        Path parent = parentOf(target);
        String name = target.getFileName().toString();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
            body.write(tmp);
            fsyncTree(tmp);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw failure("cannot write checkpoint directory " + target, e);
        }
        Path old = null;
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = parent.resolve("." + name + ".old-" + tmp.getFileName().toString().substring(name.length() + 6));
                move(target, old, false);
            }
            move(tmp, target, false);
            fsync(parent, true);
        } catch (IOException | RuntimeException e) {
            restore(old, target);
            deleteQuietly(tmp);
            throw failure("cannot move the new checkpoint into " + target, e);
        }
        deleteQuietly(old);
    }

    /** Deletes a file or a directory tree; absent paths are fine. */
    public static void deleteTree(Path path) throws IOException {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void restore(Path old, Path target) {
        if (old != null && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                move(old, target, false);
            } catch (IOException ignored) {
                // the old copy stays at its .old- name; the error thrown by the caller says the swap failed
            }
        }
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            // only across file systems, which a sibling never is; refuse rather than copy non-atomically
            throw new IOException("atomic rename not supported from " + from + " to " + to, e);
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                fsync(p, Files.isDirectory(p));
            }
        }
    }

    /** Flushes a file's data, or a directory's entries (so a rename survives a crash), to the disk. */
    private static void fsync(Path path, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // some platforms cannot open or sync a directory; the file data is already on disk
        }
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new CheckpointException("cannot write to a file-system root: " + target);
        }
        return parent;
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteTree(path);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover temp (or old) sibling has a dot name and is never read as a checkpoint
        }
    }

    private static RuntimeException failure(String what, Exception e) {
        if (e instanceof CheckpointException c) {
            return c;
        }
        if (e instanceof RuntimeException r && !(e instanceof UncheckedIOException)) {
            return r;
        }
        return new CheckpointException(what + ": " + e.getMessage(), e);
    }
}
