package io.bolmo.bench;

import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.VectorBolmoEngine;
import io.bolmo.engine.vector.VectorEngines;
import io.bolmo.tokenize.ByteTokenizer;

/**
 * How often a weight format decides as float32 does on the same random Bolmo ({@code bolmo bench --agreement N};
 * issue 17 asks ≥ 99 % of the next bytes): over N positions of the sample text, the boundary decisions, the
 * next-byte argmax (flag marginalised) on float32's patches, and the next-byte argmax end to end (each format on
 * its own patches, where one flipped boundary changes every later patch). And where the flips are: float32's margin
 * (log-probability of its next byte minus that of the runner-up) at each position, so that agreement can be read
 * where float32 is decided ({@link #DECIDED_MARGIN}) apart from near-ties, which rounding flips in any format.
 */
public final class FormatAgreement {

    /**
     * A position where float32's next byte leads the runner-up by at least this much (nats). A random Bolmo-1B leads
     * by 0.2 nat at its median position, the trained shipped model by 1.05 (SmallModelFormatsTest).
     */
    public static final double DECIDED_MARGIN = 0.1;

    /**
     * Fractions of positions equal to float32's; the next byte on float32's patches also where float32 is decided
     * ({@code decidedPositions} of them), and float32's largest margin at a position whose next byte flipped.
     */
    public record Result(double boundaries, double nextByteOnReferencePatches, double nextByte, int decidedPositions,
            double nextByteWhereDecided, double largestFlippedMargin, double medianMargin) {}

    private FormatAgreement() {}

    /** Each of {@code formats} against float32 on the same random weights. */
    public static java.util.Map<WeightFormat, Result> measure(BolmoConfig config, java.util.List<WeightFormat> formats,
            int positions, long seed, int threads, float inputGateBias) {
        int[] ids = ByteTokenizer.plain().encode(BenchResources.sampleText(positions - 1));
        int[] rows = new int[ids.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = config.addExpandedEmbeddings() ? i * 131 % config.subwordVocabSize() : 0;
        }
        Scores reference = score(config, WeightFormat.F32, ids, rows, null, seed, threads, inputGateBias);
        int[] expected = argmax(reference);
        double[] margins = margins(reference);
        java.util.Map<WeightFormat, Result> out = new java.util.LinkedHashMap<>();
        for (WeightFormat format : formats) {
            Scores fixed = score(config, format, ids, rows, reference.boundaries(), seed, threads, inputGateBias);
            Scores own = score(config, format, ids, rows, null, seed, threads, inputGateBias);
            int[] onReferencePatches = argmax(fixed);
            int decided = 0;
            int decidedSame = 0;
            double largestFlipped = 0;
            for (int t = 0; t < expected.length; t++) {
                boolean same = expected[t] == onReferencePatches[t];
                if (margins[t] >= DECIDED_MARGIN) {
                    decided++;
                    decidedSame += same ? 1 : 0;
                }
                if (!same) {
                    largestFlipped = Math.max(largestFlipped, margins[t]);
                }
            }
            out.put(format, new Result(agreement(reference.boundaries(), own.boundaries()),
                    agreement(expected, onReferencePatches), agreement(expected, argmax(own)), decided,
                    decided == 0 ? Double.NaN : decidedSame / (double) decided, largestFlipped, median(margins)));
        }
        return out;
    }

    /** At each position, {@link #margin} of its logits. */
    static double[] margins(Scores s) {
        double[] out = new double[s.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = margin(s.logitsAt(t));
        }
        return out;
    }

    /**
     * How decided fused-head logits are: the log-probability of the likeliest next byte (its two fused ids summed, as
     * {@link #nextByte}) minus that of the second likeliest, in nats.
     */
    public static double margin(float[] logits) {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < BolmoConfig.PLAIN_VOCAB; b++) {
            double lp = logSumExp(logits[b], logits[b + BolmoConfig.PLAIN_VOCAB]);
            if (lp > first) {
                second = first;
                first = lp;
            } else if (lp > second) {
                second = lp;
            }
        }
        return first - second;
    }

    private static double logSumExp(double a, double b) {
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static Scores score(BolmoConfig config, WeightFormat format, int[] ids, int[] rows, boolean[] boundaries,
            long seed, int threads, float inputGateBias) {
        try (VectorBolmoEngine e = VectorEngines.randomBolmo(config, format, seed, threads, inputGateBias)) {
            return boundaries == null ? e.score(ids, rows) : e.score(ids, rows, boundaries);
        }
    }

    /** The next byte each position predicts ({@link #nextByte}). */
    static int[] argmax(Scores s) {
        int[] out = new int[s.length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = nextByte(s.logitsAt(t));
        }
        return out;
    }

    /** The plain id predicted by fused-head logits: the byte whose two fused ids (flag off, on) have the most mass. */
    public static int nextByte(float[] logits) {
        int best = 0;
        double bestP = -1;
        for (int b = 0; b < BolmoConfig.PLAIN_VOCAB; b++) {
            double p = Math.exp(logits[b]) + Math.exp(logits[b + BolmoConfig.PLAIN_VOCAB]);
            if (p > bestP) {
                bestP = p;
                best = b;
            }
        }
        return best;
    }

    private static double agreement(boolean[] a, boolean[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }

    private static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }
}
