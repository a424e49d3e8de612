package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Local decoder (model.md §5.4): the local blocks over the depooled byte states, no norm of its own (the LM head's
 * norm follows). u {@code [B, L, d]} → {@code [B, L, d]}.
 */
public final class LocalDecoder {

    private final LocalStack blocks;

    LocalDecoder(Weights w, BolmoSizes s, int layers) {
        this.blocks = new LocalStack(w, Depooling.PREFIX + ".layers", layers, s);
    }

    public NDArray forward(NDArray u, List<MLstmLayer.State> states) {
        return blocks.forward(u, states);
    }

    /** Whole sequence continuing from {@code initial} (null = the zero state), e.g. the next chunk of a prompt. */
    public NDArray forward(NDArray u, List<MLstmLayer.State> initial, List<MLstmLayer.State> states) {
        return blocks.forward(u, initial, states);
    }

    public NDArray step(NDArray u, List<MLstmLayer.State> states) {
        return blocks.step(u, states);
    }

    public List<MLstmLayer.State> zeroStates(NDManager manager, long batch) {
        return blocks.zeroStates(manager, batch);
    }
}
