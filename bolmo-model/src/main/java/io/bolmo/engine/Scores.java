package io.bolmo.engine;

import java.util.Arrays;

/**
 * What one whole-sequence pass computes ({@link Engine#score}), on the host, row-major.
 *
 * @param length                 positions L
 * @param vocab                  logits per position V (Bolmo: the fused space incl. padding, e.g. 640)
 * @param logits                 {@code [L, V]}: position t scores the unit at t + 1
 * @param boundaryLogProbs       ℓ {@code [L]} (Bolmo; empty for a subword model)
 * @param boundaries             β {@code [L]}, ℓ_t &gt; log ½ (Bolmo; empty for a subword model)
 * @param width                  d of {@code encoderStates}
 * @param encoderStates          h {@code [L, d]}, the local encoder's output (Bolmo; empty for a subword model)
 */
public record Scores(int length, int vocab, float[] logits, float[] boundaryLogProbs, boolean[] boundaries, int width,
        float[] encoderStates) {

    public Scores {
        if (logits.length != (long) length * vocab) {
            throw new IllegalArgumentException("logits hold " + logits.length + " values, not " + length + " x "
                    + vocab);
        }
    }

    /** The logits of position {@code t}, {@code [V]}. */
    public float[] logitsAt(int t) {
        return Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab);
    }
}
