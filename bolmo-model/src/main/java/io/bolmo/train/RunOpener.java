package io.bolmo.train;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/** How to open one run: where it writes, fresh, or from one of its checkpoints ({@link RunDriver#open}). */
public interface RunOpener {

    /** The run's output directory (its {@code checkpoints/}). */
    Path output();

    /** A fresh run at step 0. */
    TrainingRun start();

    /**
     * The run continued from {@code checkpoint}; a {@link io.bolmo.io.CheckpointException} when the checkpoint is
     * incomplete or was written with other parameters.
     */
    TrainingRun resume(Path checkpoint);

    static RunOpener of(Path output, Supplier<? extends TrainingRun> start,
            Function<Path, ? extends TrainingRun> resume) {
        return new RunOpener() {
            @Override
            public Path output() {
                return output;
            }

            @Override
            public TrainingRun start() {
                return start.get();
            }

            @Override
            public TrainingRun resume(Path checkpoint) {
                return resume.apply(checkpoint);
            }
        };
    }
}
