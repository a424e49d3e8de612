package io.bolmo.cli;

import io.bolmo.Engines;
import io.bolmo.engine.LoadOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --device}, {@code --dtype}, {@code --engine} and {@code --threads}: how to load a model, as one
 * {@link LoadOptions} (shared by every command that loads one).
 */
final class EngineOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", paramLabel = "F", defaultValue = "f32",
            description = "Weight format: f32, bf16, q8_0 or q4_0; all but f32 need the Java engine"
                    + " (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "auto",
            description = "auto (Java engine on a CPU when the JVM has --add-modules jdk.incubator.vector, DJL on a"
                    + " GPU), java or djl (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Compute threads; 0 = the engine's default, all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    /**
     * The options as one value, checked against this JVM and machine ({@link Engines#choose}); a bad value or a
     * combination that cannot run here is a usage error (exit 2) naming it and what is allowed.
     */
    LoadOptions loadOptions() {
        try {
            LoadOptions options = LoadOptions.parse(device, dtype, engine, threads);
            Engines.choose(options);
            return options;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
    }
}
