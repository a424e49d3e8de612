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
 * its own patches, where one flipped boundary changes every later patch).
 */
public final class FormatAgreement {

    /** Fractions of positions equal to float32's. */
    public record Result(double boundaries, double nextByteOnReferencePatches, double nextByte) {}

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
        java.util.Map<WeightFormat, Result> out = new java.util.LinkedHashMap<>();
        for (WeightFormat format : formats) {
            Scores fixed = score(config, format, ids, rows, reference.boundaries(), seed, threads, inputGateBias);
            Scores own = score(config, format, ids, rows, null, seed, threads, inputGateBias);
            out.put(format, new Result(agreement(reference.boundaries(), own.boundaries()),
                    agreement(expected, argmax(fixed)), agreement(expected, argmax(own))));
        }
        return out;
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
