package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link LocalBlock}s with its per-layer recurrent state: the body of both the local encoder (1 block)
 * and the local decoder (4 blocks). Shapes {@code [B, S, d]} or {@code [B, d]} → same.
 */
public final class LocalStack {

    private final List<LocalBlock> blocks;

    LocalStack(Weights w, String prefix, int layers, BolmoSizes sizes) {
        List<LocalBlock> list = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            list.add(LocalBlock.take(w, prefix + "." + i, sizes.d(), sizes.localHeads(), sizes.localHidden(),
                    sizes.rmsNormEps()));
        }
        this.blocks = List.copyOf(list);
    }

    /** Whole sequence; {@code states} receives each layer's final state when not null. */
    public NDArray forward(NDArray x, List<MLstmLayer.State> states) {
        return forward(x, null, states);
    }

    /**
     * Whole sequence continuing from {@code initial} (one state per layer; null = the zero state), e.g. the next
     * chunk of a prompt; {@code states} receives each layer's final state when not null.
     */
    public NDArray forward(NDArray x, List<MLstmLayer.State> initial, List<MLstmLayer.State> states) {
        for (int i = 0; i < blocks.size(); i++) {
            MLstmLayer.Output o = blocks.get(i).forward(x, initial == null ? null : initial.get(i), states != null);
            x = o.y();
            if (states != null) {
                states.add(o.state());
            }
        }
        return x;
    }

    /** One position; {@code states} (one per layer) is replaced by the next states. */
    public NDArray step(NDArray x, List<MLstmLayer.State> states) {
        for (int i = 0; i < blocks.size(); i++) {
            MLstmLayer.Output o = blocks.get(i).step(x, states.get(i));
            x = o.y();
            states.set(i, o.state());
        }
        return x;
    }

    public List<MLstmLayer.State> zeroStates(NDManager manager, long batch) {
        List<MLstmLayer.State> states = new ArrayList<>();
        for (LocalBlock block : blocks) {
            states.add(block.mlstm().zeroState(manager, batch));
        }
        return states;
    }

    public int size() {
        return blocks.size();
    }
}
