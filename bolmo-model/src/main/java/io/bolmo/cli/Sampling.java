package io.bolmo.cli;

import io.bolmo.generate.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Sampling and stopping options shared by {@code generate} and {@code chat}; checked here so errors name the option. */
final class Sampling {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-bytes", paramLabel = "N", description = "Most new bytes (default: ${DEFAULT-VALUE}).",
            defaultValue = "256")
    int maxBytes;

    @Option(names = "--greedy", description = "Pick the most likely byte each step (the default).")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample at temperature T > 0.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling: keep the smallest set reaching P, 0 < P <= 1.")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely symbols (0 = off).")
    Integer topK;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for reproducible sampling.")
    Long seed;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop when this text is generated (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--boundary-bias", paramLabel = "B", defaultValue = "0",
            description = "Added to every 'ends a patch' logit: > 0 shorter patches, < 0 longer (faster).")
    double boundaryBias;

    @Option(names = "--ignore-eos", description = "Keep generating after the end-of-text symbol.")
    boolean ignoreEos;

    GenerationOptions options() {
        if (maxBytes < 0) {
            throw bad("--max-bytes = " + maxBytes + " is invalid: must be >= 0");
        }
        boolean sampling = temperature != null || topP != null || topK != null || seed != null;
        if (greedy && sampling) {
            throw bad("--greedy cannot be combined with --temperature, --top-p, --top-k or --seed");
        }
        if (temperature != null && !(temperature > 0 && Double.isFinite(temperature))) {
            throw bad("--temperature = " + temperature + " is invalid: must be > 0 (use --greedy for argmax)");
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw bad("--top-p = " + topP + " is invalid: must be in (0, 1]");
        }
        if (topK != null && topK < 0) {
            throw bad("--top-k = " + topK + " is invalid: must be >= 0 (0 = off)");
        }
        if (!Double.isFinite(boundaryBias)) {
            throw bad("--boundary-bias = " + boundaryBias + " is invalid: must be a finite number");
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw bad("--stop = '' is invalid: stop sequences must be non-empty");
            }
        }
        // top-p/top-k/seed alone mean sampling at temperature 1
        double t = temperature != null ? temperature : sampling ? 1.0 : 0.0;
        return GenerationOptions.builder().maxNewBytes(maxBytes).temperature(t).topK(topK == null ? 0 : topK)
                .topP(topP == null ? 1.0 : topP).seed(seed).stop(stop).boundaryBias(boundaryBias)
                .stopAtEos(!ignoreEos).build();
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
