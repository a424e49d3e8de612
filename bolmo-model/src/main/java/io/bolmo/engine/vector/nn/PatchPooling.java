package io.bolmo.engine.vector.nn;

/**
 * Pooling (model.md §5.1): a patch is the encoder state of its <em>last</em> byte, projected by {@code out_projection}
 * (Linear with bias). h of the patch-ending bytes {@code [p, d]} → z {@code [p, d]}.
 */
final class PatchPooling {

    private final Linear outProjection;

    PatchPooling(Tensors t, int d) {
        this.outProjection = Linear.take(t, LocalEncoder.PREFIX + ".out_projection", d, d, true);
    }

    float[] project(float[] endStates, int p) {
        return outProjection.forward(endStates, p);
    }
}
