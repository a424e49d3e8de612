package io.bolmo.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the jobs may read and write when others choose their parameters (the training service): every parameter a
 * job declares {@link JobParameterDefinition.Kind#INPUT} must lie under the data root or the output root (a finished
 * run's model is a valid input), every {@link JobParameterDefinition.Kind#OUTPUT} under the output root and not be
 * the root itself (unless {@code overwrite=true}). Relative paths resolve against their root. The check is on real
 * paths after {@code ..} is resolved, and it goes all the way down: every file and directory below an input or
 * output, and each file a job opens through another one (a model's tokenizer, {@link #checkFile}), must resolve
 * inside the roots, so a symbolic link anywhere below cannot lead out. Errors name the parameter and the roots,
 * never where a link leads or what a file holds.
 *
 * <p>What it does not cover: a hard link to an outside file (it is inside by every path the process sees), and a
 * link planted between the check and the job's read (the check runs when the job is validated, right before it
 * starts); keep the roots writable only by the service's user.
 */
public final class PathConfinement {

    private final Path dataRoot;
    private final Path outputRoot;

    /** Both roots are created if missing and used by their real paths. */
    public PathConfinement(Path dataRoot, Path outputRoot) {
        this.dataRoot = real(dataRoot);
        this.outputRoot = real(outputRoot);
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path outputRoot() {
        return outputRoot;
    }

    /**
     * {@code parameters} of {@code job} with every path parameter resolved against its root, checked and made
     * absolute (the real path as far as it exists); anything else unchanged. An {@link IllegalArgumentException}
     * names the parameter and the root it must lie under.
     */
    public Map<String, String> apply(JobDescription job, Map<String, String> parameters) {
        Map<String, String> out = new LinkedHashMap<>(parameters);
        boolean overwrite = "true".equals(parameters.getOrDefault("overwrite", "false").trim());
        for (JobParameterDefinition d : job.paths()) {
            String value = parameters.get(d.name());
            if (value == null || value.isBlank()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (String part : d.kind() == JobParameterDefinition.Kind.INPUT ? value.split(",")
                    : new String[] {value}) {
                if (!part.isBlank()) {
                    parts.add(resolve(d, part.trim(), overwrite).toString());
                }
            }
            out.put(d.name(), String.join(",", parts));
        }
        return out;
    }

    private Path resolve(JobParameterDefinition d, String value, boolean overwrite) {
        boolean output = d.kind() == JobParameterDefinition.Kind.OUTPUT;
        Path p = realPrefix((output ? outputRoot : dataRoot).resolve(JobParameterValues.path(d.name(), value))
                .normalize());
        if (!(p.startsWith(outputRoot) || !output && p.startsWith(dataRoot))) {
            throw new IllegalArgumentException("parameter '" + d.name() + "' = '" + shorten(value) + "' resolves to "
                    + p + ", which is outside " + rootsText(output) + "; only locations under the configured roots"
                    + " are allowed");
        }
        if (output && p.equals(outputRoot) && !overwrite) {
            throw new IllegalArgumentException("parameter '" + d.name() + "' = '" + shorten(value) + "' is the output"
                    + " root " + outputRoot + " itself; name a directory under it (or pass overwrite=true to write"
                    + " there anyway)");
        }
        return p;
    }

    /**
     * Every file and directory below each path parameter of {@code job} in {@code values} (absolute, as
     * {@link #apply} returns them) resolves inside the roots.
     */
    void checkTrees(JobDescription job, JobParameterValues values) {
        for (JobParameterDefinition d : job.paths()) {
            String value = values.string(d.name());
            if (value == null || value.isBlank()) {
                continue;
            }
            boolean output = d.kind() == JobParameterDefinition.Kind.OUTPUT;
            for (String part : output ? new String[] {value} : value.split(",")) {
                if (!part.isBlank()) {
                    checkTree(d.name(), JobParameterValues.path(d.name(), part.trim()), output);
                }
            }
        }
    }

    /** A file the job of parameter {@code name} opens through another one (a model's tokenizer) lies inside. */
    public void checkFile(String name, Path file) {
        checkTree(name, file, false);
    }

    private void checkTree(String name, Path top, boolean output) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return; // nothing to read there; the job's own checks say what is missing
        }
        try (Stream<Path> s = Files.walk(top, FileVisitOption.FOLLOW_LINKS)) {
            Iterator<Path> it = s.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    throw refused(name, top, p, "cannot be resolved (a dangling symbolic link?)");
                }
                if (!(real.startsWith(outputRoot) || !output && real.startsWith(dataRoot))) {
                    throw refused(name, top, p, "leads outside " + rootsText(output)
                            + " (a symbolic link to a location outside them)");
                }
            }
        } catch (UncheckedIOException e) {
            throw refused(name, top, top, e.getCause() instanceof FileSystemLoopException
                    ? "contains a symbolic link loop" : "cannot be read completely");
        } catch (IOException e) {
            throw refused(name, top, top, "cannot be read");
        }
    }

    private static IllegalArgumentException refused(String name, Path top, Path at, String why) {
        String where = at.equals(top) ? top.toString() : top + " (at " + top.relativize(at) + ")";
        return new IllegalArgumentException("job parameter '" + name + "' is refused: " + where + " " + why
                + "; every file a job reads or writes must lie under the configured roots");
    }

    private String rootsText(boolean output) {
        return output ? "the output root " + outputRoot
                : "the data root " + dataRoot + " and the output root " + outputRoot;
    }

    /** The real path of the longest existing prefix of {@code p} (links followed), with the rest appended. */
    static Path realPrefix(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? p.getRoot() : existing.toRealPath();
            return (rest == null ? real : real.resolve(rest)).normalize();
        } catch (IOException e) {
            throw new IllegalArgumentException(p + " cannot be resolved (a dangling symbolic link?)");
        }
    }

    private static String shorten(String v) {
        return v.length() <= 200 ? v : v.substring(0, 200) + "… (" + v.length() + " characters)";
    }

    private static Path real(Path root) {
        try {
            Files.createDirectories(root);
            return root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create root " + root + ": " + e.getMessage(), e);
        }
    }
}
