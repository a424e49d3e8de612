package io.bolmo.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code sweep}: the grid file ({@link SweepGrid}) and the sweep's output directory. The grid
 * file names further locations (the runs' inputs, the evaluation corpus): a service that confines paths must check
 * those too before it lets a sweep start.
 */
public final class SweepJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Which parameters name input locations (files or directories read) and which the output. */
    public static final List<String> INPUT_PATHS = List.of("grid");
    public static final List<String> OUTPUT_PATHS = List.of("output");

    private final JobParameterValues values;

    private SweepJobParameters(JobParameterValues values) {
        this.values = values;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("grid", null);
        d.put("output", null);
        return Collections.unmodifiableMap(d);
    }

    public static SweepJobParameters of(JobParameters params) {
        return new SweepJobParameters(JobParameterValues.of(params, DEFAULTS, name -> switch (name) {
            case "grid" -> "the sweep's JSON file: job, shared parameters, grid, eval";
            case "output" -> "the directory for runs/, eval/, sweep.md, sweep.json and sweep.png";
            default -> name;
        }));
    }

    SweepGrid grid() {
        Path file = values.path("grid");
        if (!Files.isRegularFile(file)) {
            throw values.bad("grid", "no such file (expected the sweep's JSON grid file)");
        }
        return SweepGrid.read(file);
    }

    public Path output() {
        return values.path("output");
    }
}
