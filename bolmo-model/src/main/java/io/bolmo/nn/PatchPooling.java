package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/**
 * Pooling (model.md §5.1): the patch vector is the encoder state of the <em>last</em> byte of the
 * patch, then {@code out_projection} (Linear with bias). h {@code [B, L, d]} + patch ends → z {@code [B, P, d]}, P
 * the largest patch count in the batch (shorter rows repeat their last patch, which causal attention never lets
 * reach a real one).
 */
public final class PatchPooling {

    private final Linear outProjection;

    PatchPooling(Weights w, int d) {
        this.outProjection = Linear.take(w, LocalEncoder.PREFIX + ".out_projection", d, d, true);
    }

    public NDArray pool(NDArray h, Patches patches) {
        NDArray index = patches.endIndex(h.getManager(), h.getShape().get(2)); // [B, P, d]
        return project(h.gather(index, 1));
    }

    /** Projects encoder states of patch-ending bytes: {@code [..., d]} → {@code [..., d]} (also used per step). */
    public NDArray project(NDArray endStates) {
        return outProjection.forward(endStates);
    }
}
