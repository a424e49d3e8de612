package io.bolmo.batch;

/**
 * One parameter of a job: its name, its default ({@code null}: required), what kind of value it is and, for the
 * "is required" message, what it is. The kind tells the path confinement ({@link PathConfinement}) which parameters
 * name files: every {@link Kind#INPUT} and {@link Kind#OUTPUT} parameter goes through it, so a new path parameter
 * declared here cannot be forgotten there.
 */
public record JobParameterDefinition(String name, String defaultValue, Kind kind, String description) {

    public enum Kind {
        /** A plain value (a number, a flag, a choice). */
        VALUE,
        /** Files or directories the job reads; a comma-separated list where the job takes several. */
        INPUT,
        /** The directory the job writes into. */
        OUTPUT
    }

    public static JobParameterDefinition value(String name, String defaultValue) {
        return new JobParameterDefinition(name, defaultValue, Kind.VALUE, name);
    }

    /** Files or directories read; {@code defaultValue} "" when optional, null when required. */
    public static JobParameterDefinition input(String name, String defaultValue, String description) {
        return new JobParameterDefinition(name, defaultValue, Kind.INPUT, description);
    }

    /** The (required) output directory. */
    public static JobParameterDefinition output(String description) {
        return new JobParameterDefinition("output", null, Kind.OUTPUT, description);
    }

    /** {@code overwrite}: whether the job may replace another run's output (see {@link TrainingJobs#claimOutput}). */
    public static JobParameterDefinition overwrite() {
        return value("overwrite", "false");
    }

    public boolean required() {
        return defaultValue == null;
    }

    public boolean isPath() {
        return kind != Kind.VALUE;
    }
}
