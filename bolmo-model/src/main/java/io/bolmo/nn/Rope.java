package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding, rotate-half form (model.md §5.2): {@code x' = x·cos + rot(x)·sin},
 * {@code rot([a, b]) = [−b, a]}. Inverse frequencies are computed in float32 as the reference does. For Bolmo the
 * positions are patch indices. x {@code [B, H, P, hd]} → same.
 */
public final class Rope {

    private final float[] invFreq;
    private final int headDim;

    public Rope(int headDim, double theta) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int j = 0; j < invFreq.length; j++) {
            float exponent = (float) (2 * j) / (float) headDim;
            invFreq[j] = 1f / (float) Math.pow(theta, exponent);
        }
    }

    /** cos and sin tables {@code [P, hd]} for positions start … start+count−1 (or per-row positions). */
    public NDList tables(NDManager manager, long[] positions) {
        int p = positions.length;
        float[] cos = new float[p * headDim];
        float[] sin = new float[p * headDim];
        int half = headDim / 2;
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < half; j++) {
                float angle = (float) positions[i] * invFreq[j];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[i * headDim + j] = c;
                cos[i * headDim + j + half] = c;
                sin[i * headDim + j] = s;
                sin[i * headDim + j + half] = s;
            }
        }
        Shape shape = new Shape(p, headDim);
        return new NDList(manager.create(cos, shape), manager.create(sin, shape));
    }

    /** Applies the rotation; cos/sin broadcast over batch and heads ({@code [P, hd]} or {@code [B, 1, P, hd]}). */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int half = headDim / 2;
        NDArray a = x.get(new NDIndex("..., :" + half));
        NDArray b = x.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = NDArrays.concat(new NDList(b.neg(), a), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    float[] invFreq() {
        return invFreq.clone();
    }
}
