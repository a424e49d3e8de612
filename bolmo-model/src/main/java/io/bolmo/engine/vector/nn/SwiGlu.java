package io.bolmo.engine.vector.nn;

/** SwiGLU feed-forward {@code down(SiLU(gate x) ⊙ up x)}, no biases (model.md §3.1, §5.2). {@code [n, d]} → same. */
final class SwiGlu {

    private final Linear gate;
    private final Linear up;
    private final Linear down;

    SwiGlu(Tensors t, String prefix, int d, int hidden) {
        this.gate = Linear.take(t, prefix + ".gate_proj", hidden, d, false);
        this.up = Linear.take(t, prefix + ".up_proj", hidden, d, false);
        this.down = Linear.take(t, prefix + ".down_proj", d, hidden, false);
    }

    float[] forward(float[] x, int n) {
        float[] g = gate.forward(x, n);
        float[] u = up.forward(x, n);
        for (int i = 0; i < g.length; i++) {
            float v = g[i];
            g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
        }
        return down.forward(g, n);
    }
}
