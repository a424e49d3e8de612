package io.bolmo.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next symbol from logits on the Java side: greedy argmax (ties to the lowest id, as torch.argmax),
 * or temperature, then top-k, then top-p (nucleus) filtering and a draw from a seeded generator, so that the
 * same seed gives the same output.
 */
final class Sampler {

    private final GenerationOptions options;
    private final SplittableRandom random;

    Sampler(GenerationOptions options) {
        this.options = options;
        long seed = options.seed() != null ? options.seed() : new SplittableRandom().nextLong();
        this.random = new SplittableRandom(seed);
    }

    /** Picks one of {@code candidates} (ids into {@code logits}). */
    int sample(float[] logits, int[] candidates) {
        if (options.isGreedy() || candidates.length == 1) {
            return argmax(logits, candidates);
        }
        int n = candidates.length;
        double[] scaled = new double[n];
        for (int i = 0; i < n; i++) {
            scaled[i] = logits[candidates[i]] / options.temperature();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scaled[b], scaled[a]));
        int keep = options.topK() > 0 ? Math.min(options.topK(), n) : n;
        double max = scaled[order[0]];
        double[] p = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(scaled[order[i]] - max);
            total += p[i];
        }
        if (options.topP() < 1) {
            double mass = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                mass += p[i] / total;
                if (mass >= options.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            total = 0;
            for (int i = 0; i < keep; i++) {
                total += p[i];
            }
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= p[i];
            if (r < 0) {
                return candidates[order[i]];
            }
        }
        return candidates[order[keep - 1]];
    }

    static int argmax(float[] logits, int[] candidates) {
        int best = candidates[0];
        for (int c : candidates) {
            if (logits[c] > logits[best] || (logits[c] == logits[best] && c < best)) {
                best = c;
            }
        }
        return best;
    }
}
