package io.bolmo.bench;

import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;

/**
 * Floating-point operations of a Bolmo prefill, counted from the shapes (2 per multiply-add): every byte runs the
 * encoder blocks, the boundary predictor's two projections, the depooling projection and the decoder blocks;
 * every patch the pooling projection and the global blocks, whose attention at patch position p reads p + 1 keys
 * (or the window). Norms, gates' non-linearities and the mLSTM recurrence (under 1 % on 1B shapes) are not counted.
 */
final class PrefillFlops {

    private PrefillFlops() {}

    static double of(BolmoConfig c, long bytes, long patches) {
        long d = c.hiddenSize();
        long heads = c.numLocalHeads();
        long localBlock = d * d / 2 * 2 + 3 * d * d + 2 * heads * d + 3 * d * c.localIntermediateSize();
        long perByte = (c.numLocalEncoderLayers() + c.numLocalDecoderLayers()) * localBlock + 2 * d * d + d * d;
        OlmoConfig g = c.global();
        long q = (long) g.numAttentionHeads() * g.headDim();
        long kv = (long) g.numKeyValueHeads() * g.headDim();
        long globalBlock = d * q + 2 * d * kv + q * d + 3 * d * g.intermediateSize();
        long perPatch = d * d + g.numHiddenLayers() * globalBlock;
        double attention = 0;
        for (int layer = 0; layer < g.numHiddenLayers(); layer++) {
            boolean sliding = g.layerTypes().get(layer) == io.bolmo.config.AttentionType.SLIDING_ATTENTION;
            for (long p = 0; p < patches; p++) {
                long keys = sliding ? Math.min(p + 1, g.slidingWindow()) : p + 1;
                attention += 2.0 * keys * q; // scores and the weighted sum of values
            }
        }
        return 2.0 * (bytes * (double) perByte + patches * (double) perPatch + attention);
    }
}
