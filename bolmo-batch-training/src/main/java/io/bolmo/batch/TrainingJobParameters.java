package io.bolmo.batch;

/**
 * What the parameters of every training job share: the values read against the job's description, and how the
 * tasklet chunks the run ({@code chunk-size} steps per checkpoint, {@code keep-checkpoints} kept).
 */
public abstract class TrainingJobParameters {

    /** The parsed values, defaults filled in. */
    protected final JobParameterValues values;

    TrainingJobParameters(JobParameterValues values) {
        this.values = values;
    }

    JobParameterValues values() {
        return values;
    }

    /** Optimizer steps per Spring Batch chunk (one transaction, one checkpoint). */
    public int chunkSize() {
        return values.positiveInt("chunk-size");
    }

    /** Checkpoints kept (the committed one is never deleted). */
    public int keepCheckpoints() {
        return values.positiveInt("keep-checkpoints");
    }
}
