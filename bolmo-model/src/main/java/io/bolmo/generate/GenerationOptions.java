package io.bolmo.generate;

import io.bolmo.generate.constraint.ByteConstraint;
import java.util.List;

/**
 * How one generation samples and when it stops (spec 8.1, 4.5). Immutable; build with {@link #builder()}.
 *
 * @param maxNewBytes   most new bytes (Bolmo) or tokens (subword model) to generate; the forced decision on the
 *                      last prompt byte is not counted
 * @param temperature   0 = greedy (argmax); otherwise logits are divided by it before sampling
 * @param topK          keep the k most likely symbols (0 = off)
 * @param topP          keep the smallest set whose probability reaches p (1 = off)
 * @param seed          makes sampling reproducible; null draws a fresh seed
 * @param stop          stop sequences, matched on bytes; the matched sequence is not part of the output
 * @param boundaryBias  added to every "byte ends a patch" logit: &gt; 0 gives shorter patches (more global
 *                      steps, closer to the training distribution), &lt; 0 longer patches (faster)
 * @param stopAtEos     stop when the model emits EOS
 * @param constraint    what the output must match (a JSON schema, a regular expression; Bolmo only), or null: only
 *                      the bytes it allows are sampled, and generation ends once it is complete
 *                      (docs/structured-output.md)
 */
public record GenerationOptions(int maxNewBytes, double temperature, int topK, double topP, Long seed,
        List<String> stop, double boundaryBias, boolean stopAtEos, ByteConstraint constraint) {

    public static final int DEFAULT_MAX_NEW_BYTES = 256;

    public GenerationOptions {
        stop = stop == null ? List.of() : List.copyOf(stop);
        check(maxNewBytes >= 0, "maxNewBytes", maxNewBytes, "must be >= 0");
        check(temperature >= 0 && Double.isFinite(temperature), "temperature", temperature, "must be >= 0 (0 = greedy)");
        check(topK >= 0, "topK", topK, "must be >= 0 (0 = off)");
        check(topP > 0 && topP <= 1, "topP", topP, "must be in (0, 1] (1 = off)");
        check(Double.isFinite(boundaryBias), "boundaryBias", boundaryBias, "must be finite");
        for (String s : stop) {
            check(s != null && !s.isEmpty(), "stop", stop, "stop sequences must be non-empty strings");
        }
    }

    public static GenerationOptions greedy(int maxNewBytes) {
        return builder().maxNewBytes(maxNewBytes).build();
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder mutate() {
        return new Builder().maxNewBytes(maxNewBytes).temperature(temperature).topK(topK).topP(topP).seed(seed)
                .stop(stop).boundaryBias(boundaryBias).stopAtEos(stopAtEos).constraint(constraint);
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is invalid: " + rule);
        }
    }

    /**
     * Builder with the defaults: 256 bytes, greedy, no top-k/top-p, no stop sequences, no bias, stop at EOS, no
     * constraint.
     */
    public static final class Builder {
        private int maxNewBytes = DEFAULT_MAX_NEW_BYTES;
        private double temperature;
        private int topK;
        private double topP = 1.0;
        private Long seed;
        private List<String> stop = List.of();
        private double boundaryBias;
        private boolean stopAtEos = true;
        private ByteConstraint constraint;

        public Builder maxNewBytes(int v) {
            maxNewBytes = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        public Builder boundaryBias(double v) {
            boundaryBias = v;
            return this;
        }

        public Builder stopAtEos(boolean v) {
            stopAtEos = v;
            return this;
        }

        public Builder constraint(ByteConstraint v) {
            constraint = v;
            return this;
        }

        public GenerationOptions build() {
            return new GenerationOptions(maxNewBytes, temperature, topK, topP, seed, stop, boundaryBias, stopAtEos,
                    constraint);
        }
    }
}
