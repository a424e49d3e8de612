package io.bolmo.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Bits per byte with the boundary flag marginalised, against a float64 host computation on the {@code ce} logits. */
class BitsPerByteTest extends GoldenLossesCase {

    @Test
    void marginalisesTheFlagAndIgnoresMaskedLabels() {
        NDArray logits = golden.get("ce.logits");
        NDArray labels = golden.get("ce.labels_fused");
        double expected = hostBitsPerByte(logits.toFloatArray(), labels.toIntArray(), 640);
        assertThat(BitsPerByte.bitsPerByte(logits, labels)).isCloseTo(expected, within(1e-5 * expected));
        // the flag does not matter: Stage 1 and Stage 2 labels name the same bytes
        assertThat(BitsPerByte.bitsPerByte(logits, golden.get("ce.stage2_labels_fused")))
                .isCloseTo(expected, within(1e-5 * expected));
        // the marginal is at least the joint probability: bpb ≤ CE / ln 2
        double ceBits = FusedCrossEntropy.compute(logits, labels).rawMean().getFloat() / Math.log(2);
        assertThat(expected).isLessThan(ceBits);
    }

    private static double hostBitsPerByte(float[] logits, int[] labels, int vocab) {
        double total = 0;
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == -100) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[i * vocab + v]);
            }
            double z = 0;
            for (int v = 0; v < vocab; v++) {
                z += Math.exp(logits[i * vocab + v] - max);
            }
            int plain = labels[i] % 260;
            double p = (Math.exp(logits[i * vocab + plain] - max) + Math.exp(logits[i * vocab + plain + 260] - max)) / z;
            total -= Math.log(p) / Math.log(2);
            count++;
        }
        return total / count;
    }
}
