package io.bolmo.engine.vector.nn;

/** Local decoder (model.md §5.4): the local blocks over the depooled byte states. u {@code [n, d]} → {@code [n, d]}. */
final class LocalDecoder {

    private final LocalStack blocks;

    LocalDecoder(Tensors t, BolmoShapes s) {
        this.blocks = new LocalStack(t, Depooling.PREFIX + ".layers", s.decoderLayers(), s.d(), s.localHeads(),
                s.localHidden(), s.rmsNormEps());
    }

    float[] forward(float[] u, int n, MLstmState[][] states) {
        return blocks.forward(u, n, states);
    }

    MLstmState[] newStates() {
        return blocks.newStates();
    }
}
