package io.bolmo.engine.vector.nn;

/**
 * Rotary position embedding, rotate-half form: {@code x' = x·cos + rot(x)·sin}, {@code rot([a, b]) = [−b, a]}, per
 * head of {@code hd} values. Inverse frequencies and angles in float32 as the reference computes them. For Bolmo the
 * positions are patch indices.
 */
final class Rope {

    private final float[] invFreq;
    private final int headDim;

    Rope(int headDim, double theta) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int j = 0; j < invFreq.length; j++) {
            float exponent = (float) (2 * j) / (float) headDim;
            invFreq[j] = 1f / (float) Math.pow(theta, exponent);
        }
    }

    /** Rotates {@code heads} consecutive heads of {@code x} starting at {@code offset}, all at {@code position}. */
    void apply(float[] x, int offset, int heads, int position) {
        int half = headDim / 2;
        for (int j = 0; j < half; j++) {
            float angle = (float) position * invFreq[j];
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            for (int h = 0; h < heads; h++) {
                int o = offset + h * headDim;
                float a = x[o + j];
                float b = x[o + j + half];
                x[o + j] = a * cos - b * sin;
                x[o + j + half] = b * cos + a * sin;
            }
        }
    }
}
