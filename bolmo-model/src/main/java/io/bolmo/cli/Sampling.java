package io.bolmo.cli;

import io.bolmo.generate.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Sampling and stopping options shared by {@code generate} and {@code chat}, mapped onto {@link GenerationOptions},
 * which checks them; its errors are reworded to name the option the user typed.
 */
final class Sampling {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--max-bytes", paramLabel = "N", description = "Most new bytes (default: ${DEFAULT-VALUE}).",
            defaultValue = "256")
    int maxBytes;

    @Option(names = "--greedy", description = "Pick the most likely byte each step (the default).")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample at temperature T (0 = greedy).")
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

    /** The engine's field names, as its messages spell them, and the options a user typed for them. */
    private static final Map<String, String> OPTION_NAMES = Map.of("maxNewBytes", "--max-bytes",
            "temperature", "--temperature", "topK", "--top-k", "topP", "--top-p", "boundaryBias", "--boundary-bias",
            "stop", "--stop");

    /** The options as given, checked by {@link GenerationOptions} itself; an error names the option. */
    GenerationOptions options() {
        boolean sampling = temperature != null || topP != null || topK != null || seed != null;
        if (greedy && sampling) {
            throw bad("--greedy cannot be combined with --temperature, --top-p, --top-k or --seed");
        }
        GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(maxBytes).seed(seed).stop(stop)
                .boundaryBias(boundaryBias).stopAtEos(!ignoreEos);
        if (sampling) { // top-p/top-k/seed alone mean sampling at temperature 1
            b.temperature(temperature != null ? temperature : 1.0);
        }
        if (topK != null) {
            b.topK(topK);
        }
        if (topP != null) {
            b.topP(topP);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(asOption(e.getMessage()));
        }
    }

    /** "topP = 1.5 is invalid: ..." becomes "--top-p = 1.5 is invalid: ...". */
    private static String asOption(String message) {
        for (Map.Entry<String, String> name : OPTION_NAMES.entrySet()) {
            if (message.startsWith(name.getKey() + " = ")) {
                return name.getValue() + message.substring(name.getKey().length());
            }
        }
        return message;
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
