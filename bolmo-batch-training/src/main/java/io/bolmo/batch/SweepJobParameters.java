package io.bolmo.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code sweep}: the grid file ({@link SweepGrid}) and the sweep's output directory.
 */
public final class SweepJobParameters {

    /**
     * The parameters of {@code sweep}. The grid file names further locations (the runs' inputs, the evaluation
     * corpus): the sweep's validation checks them through the runs' and the evaluation's own definitions, with the
     * same confinement.
     */
    public static final JobDescription JOB = new JobDescription(SweepJobConfiguration.JOB_NAME, List.of(
            JobParameterDefinition.input("grid", null, "the sweep's JSON file: job, shared parameters, grid, eval"),
            JobParameterDefinition.output("the directory for runs/, eval/, sweep.md, sweep.json and sweep.png")));

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private final JobParameterValues values;

    private SweepJobParameters(JobParameterValues values) {
        this.values = values;
    }

    public static SweepJobParameters of(JobParameters params) {
        return new SweepJobParameters(JobParameterValues.of(params, JOB));
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
