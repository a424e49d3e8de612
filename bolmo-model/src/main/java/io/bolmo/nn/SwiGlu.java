package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward {@code down(SiLU(gate x) ⊙ up x)}, no biases (model.md §3.1, §5.2). {@code [..., d]} → same. */
public final class SwiGlu {

    private final Linear gate;
    private final Linear up;
    private final Linear down;

    private SwiGlu(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** Takes {@code prefix.{gate,up,down}_proj.weight}. */
    public static SwiGlu take(Weights w, String prefix, long dim, long hidden) {
        return new SwiGlu(
                Linear.take(w, prefix + ".gate_proj", hidden, dim, false),
                Linear.take(w, prefix + ".up_proj", hidden, dim, false),
                Linear.take(w, prefix + ".down_proj", dim, hidden, false));
    }

    public NDArray forward(NDArray x) {
        NDArray g = gate.forward(x);
        return down.forward(g.mul(Activation.sigmoid(g)).mul(up.forward(x)));
    }
}
