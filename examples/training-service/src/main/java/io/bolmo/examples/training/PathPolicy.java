package io.bolmo.examples.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which job parameters are file locations, and the rule for them: an output under {@code bolmo.training.output-root},
 * an input under {@code data-root} or {@code output-root}. Relative paths resolve against their root; the check is on
 * the real path (symbolic links followed as far as the path exists) after {@code ..} is resolved, so neither
 * {@code ../..} nor a link pointing outside escapes. Accepted paths are passed to the job in absolute form.
 */
public final class PathPolicy {

    /** Job → its input parameters (comma lists allowed) and output parameters. */
    static final Map<String, Set<String>> INPUTS = Map.of(
            "byteify", Set.of("teacher", "corpus", "tokenizer"),
            "merge", Set.of("bolmo", "base", "post-trained"),
            "finetune", Set.of("model", "data", "tokenizer"),
            "pretrain", Set.of("corpus", "tokenizer"));
    static final Map<String, Set<String>> OUTPUTS = Map.of(
            "byteify", Set.of("output"),
            "merge", Set.of("output"),
            "finetune", Set.of("output"),
            "pretrain", Set.of("output"));

    private final Path dataRoot;
    private final Path outputRoot;

    public PathPolicy(TrainingProperties p) {
        this.dataRoot = real(p.dataRoot());
        this.outputRoot = real(p.outputRoot());
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path outputRoot() {
        return outputRoot;
    }

    /** Whether the service knows the location parameters of {@code job}. */
    public static boolean knows(String job) {
        return INPUTS.containsKey(job);
    }

    /** {@code parameters} with every location checked and made absolute; a violation is a {@link BadRequestException}. */
    public Map<String, String> apply(String job, Map<String, String> parameters) {
        Map<String, String> out = new java.util.LinkedHashMap<>(parameters);
        parameters.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            if (OUTPUTS.get(job).contains(name)) {
                out.put(name, check(name, value.trim(), outputRoot, List.of(outputRoot), "the output root").toString());
            } else if (INPUTS.get(job).contains(name)) {
                List<String> parts = new ArrayList<>();
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        parts.add(check(name, part.trim(), dataRoot, List.of(dataRoot, outputRoot),
                                "the data root " + dataRoot + " or the output root").toString());
                    }
                }
                out.put(name, String.join(",", parts));
            }
        });
        return out;
    }

    private static Path check(String name, String value, Path base, List<Path> roots, String rootName) {
        Path p;
        try {
            p = base.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new BadRequestException("parameter '" + name + "' = '" + value + "' is not a valid path: "
                    + e.getReason());
        }
        Path resolved = realPrefix(p);
        for (Path root : roots) {
            if (resolved.startsWith(root)) {
                return resolved;
            }
        }
        String rootText = roots.size() == 1 ? rootName + " " + roots.get(0) : rootName + " " + roots.get(1);
        throw new BadRequestException("parameter '" + name + "' = '" + value + "' resolves to " + resolved
                + ", which is outside " + rootText + "; only locations under the configured roots are allowed");
    }

    /** The real path of the longest existing prefix of {@code p} (links followed), with the rest appended. */
    static Path realPrefix(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        try {
            Path real = existing == null ? p.getRoot() : existing.toRealPath();
            return (rest == null ? real : real.resolve(rest)).normalize();
        } catch (IOException e) {
            throw new BadRequestException(p + " cannot be resolved (" + e.getMessage() + "; a dangling symbolic"
                    + " link?)");
        }
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
