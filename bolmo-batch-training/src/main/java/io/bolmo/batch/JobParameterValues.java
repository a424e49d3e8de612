package io.bolmo.batch;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A job's parameters as strings, with defaults filled in and typed, checked reads. Every error names the parameter,
 * the bad value and what is allowed; unknown names and missing required ones are refused up front. Shared by the
 * parameter classes of every job.
 */
final class JobParameterValues {

    static final int MAX_NAME_BYTES = 255;
    static final int MAX_PATH_BYTES = 4096;

    private final Map<String, String> values;

    private JobParameterValues(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param defaults name → default, {@code null} for required ones (in documentation order)
     * @param describe what a required parameter is, for its "is required" message
     */
    static JobParameterValues of(JobParameters params, Map<String, String> defaults, UnaryOperator<String> describe) {
        Map<String, String> v = new LinkedHashMap<>();
        for (JobParameter<?> p : params.parameters()) {
            if (!defaults.containsKey(p.name())) {
                throw new IllegalArgumentException("unknown job parameter '" + p.name() + "'; allowed: "
                        + String.join(", ", defaults.keySet()));
            }
            v.put(p.name(), String.valueOf(p.value()).trim());
        }
        for (Map.Entry<String, String> e : defaults.entrySet()) {
            String given = v.get(e.getKey());
            if (given == null || given.isEmpty()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("job parameter '" + e.getKey() + "' is required ("
                            + describe.apply(e.getKey()) + ")");
                }
                v.put(e.getKey(), e.getValue());
            }
        }
        return new JobParameterValues(v);
    }

    /** Reads {@code params} against {@code job}'s parameter definitions. */
    static JobParameterValues of(JobParameters params, JobDescription job) {
        return of(params, job.defaults(), job::describe);
    }

    String string(String name) {
        return values.get(name);
    }

    Path path(String name) {
        return path(name, values.get(name));
    }

    /**
     * {@code value} of parameter {@code name} as a path: valid for the file system, each name at most
     * {@value #MAX_NAME_BYTES} bytes and the whole at most {@value #MAX_PATH_BYTES} (the Linux limits, checked here
     * so that a long name is a validation error rather than a failure while the job writes).
     */
    static Path path(String name, String value) {
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("job parameter '" + name + "' is invalid: the path is longer than "
                    + MAX_PATH_BYTES + " bytes");
        }
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("job parameter '" + name + "' = '" + value + "' is invalid: not a valid"
                    + " path: " + e.getReason());
        }
        for (Path part : p) {
            if (part.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("job parameter '" + name + "' is invalid: a name in the path is"
                        + " longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
        return p;
    }

    /** A Hugging Face model directory: it must hold a {@code config.json}. */
    Path modelDirectory(String name) {
        Path dir = path(name);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw bad(name, "not a Hugging Face model directory (no config.json in it)");
        }
        return dir;
    }

    /** A comma-separated list of paths (blank entries skipped). */
    List<Path> paths(String name) {
        List<Path> out = new ArrayList<>();
        for (String s : values.get(name).split(",")) {
            if (!s.isBlank()) {
                out.add(path(name, s.trim()));
            }
        }
        if (out.isEmpty()) {
            throw bad(name, "needs at least one path");
        }
        return out;
    }

    boolean bool(String name) {
        String v = values.get(name);
        if (!v.equals("true") && !v.equals("false")) {
            throw bad(name, "allowed: true, false");
        }
        return Boolean.parseBoolean(v);
    }

    long integer(String name) {
        try {
            return Long.parseLong(values.get(name));
        } catch (NumberFormatException e) {
            throw bad(name, "not an integer");
        }
    }

    long positiveLong(String name) {
        long v = integer(name);
        if (v <= 0) {
            throw bad(name, "must be > 0");
        }
        return v;
    }

    int positiveInt(String name) {
        long v = positiveLong(name);
        if (v > Integer.MAX_VALUE) {
            throw bad(name, "must be <= " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    int nonNegativeInt(String name) {
        long v = integer(name);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw bad(name, "must be >= 0");
        }
        return (int) v;
    }

    double number(String name) {
        try {
            double d = Double.parseDouble(values.get(name));
            if (!Double.isFinite(d)) {
                throw bad(name, "must be a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, "not a number");
        }
    }

    double positiveDouble(String name) {
        double d = number(name);
        if (d <= 0) {
            throw bad(name, "must be > 0");
        }
        return d;
    }

    double nonNegativeDouble(String name) {
        double d = number(name);
        if (d < 0) {
            throw bad(name, "must be >= 0");
        }
        return d;
    }

    IllegalArgumentException bad(String name, String rule) {
        String v = values.get(name);
        String shown = v == null || v.length() <= 200 ? v : v.substring(0, 200) + "… (" + v.length() + " characters)";
        return new IllegalArgumentException("job parameter '" + name + "' = '" + shown + "' is invalid: " + rule);
    }
}
