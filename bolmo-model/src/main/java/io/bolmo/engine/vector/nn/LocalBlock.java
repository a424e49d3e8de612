package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Vectors;

/**
 * One pre-norm local block (model.md §3.1), shared by encoder and decoder:
 * {@code a = x + mLSTM(RMSNorm(x)); out = a + SwiGLU(RMSNorm(a))}, both norms with {@code rms_norm_eps}.
 * {@code [n, d]} with one state per row ({@link MLstmLayer#forward}) → {@code [n, d]}.
 */
final class LocalBlock {

    private final RmsNorm preMLstmNorm;
    private final MLstmLayer mlstm;
    private final RmsNorm preFeedForwardNorm;
    private final SwiGlu feedForward;
    private final int d;

    LocalBlock(Tensors t, String prefix, int d, int heads, int hidden, double eps) {
        this.preMLstmNorm = RmsNorm.take(t, prefix + ".pre_xlstm_layernorm", d, eps);
        this.mlstm = new MLstmLayer(t, prefix + ".xlstm", d, heads);
        this.preFeedForwardNorm = RmsNorm.take(t, prefix + ".pre_feedforward_layernorm", d, eps);
        this.feedForward = new SwiGlu(t, prefix + ".mlp", d, hidden);
        this.d = d;
    }

    float[] forward(float[] x, int n, MLstmState[] states) {
        float[] a = mlstm.forward(preMLstmNorm.forward(x, n), n, states);
        Vectors.add(a, x, n * d);
        float[] out = feedForward.forward(preFeedForwardNorm.forward(a, n), n);
        Vectors.add(out, a, n * d);
        return out;
    }

    MLstmState newState() {
        return mlstm.newState();
    }
}
