package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm local block (model.md §3.1), shared by encoder and decoder:
 * {@code a = x + mLSTM(RMSNorm(x)); out = a + SwiGLU(RMSNorm(a))}. The two pre-norms use {@code rms_norm_eps},
 * not {@code local_rms_norm_eps}. Shapes {@code [B, S, d]} → same, or {@code [B, d]} for a step.
 */
public final class LocalBlock {

    private final RmsNorm preMLstmNorm;
    private final MLstmLayer mlstm;
    private final RmsNorm preFeedForwardNorm;
    private final SwiGlu feedForward;

    private LocalBlock(RmsNorm preMLstmNorm, MLstmLayer mlstm, RmsNorm preFeedForwardNorm, SwiGlu feedForward) {
        this.preMLstmNorm = preMLstmNorm;
        this.mlstm = mlstm;
        this.preFeedForwardNorm = preFeedForwardNorm;
        this.feedForward = feedForward;
    }

    public static LocalBlock take(Weights w, String prefix, int d, int heads, int hidden, double eps) {
        return new LocalBlock(
                RmsNorm.take(w, prefix + ".pre_xlstm_layernorm", d, eps),
                MLstmLayer.take(w, prefix + ".xlstm", d, heads),
                RmsNorm.take(w, prefix + ".pre_feedforward_layernorm", d, eps),
                SwiGlu.take(w, prefix + ".mlp", d, hidden));
    }

    /** Whole sequence; with {@code keepState} the mLSTM state after the last position is returned too. */
    public MLstmLayer.Output forward(NDArray x, boolean keepState) {
        return forward(x, null, keepState);
    }

    /** Whole sequence continuing from the mLSTM state {@code initial} (null = the zero state). */
    public MLstmLayer.Output forward(NDArray x, MLstmLayer.State initial, boolean keepState) {
        MLstmLayer.Output m = mlstm.forward(preMLstmNorm.forward(x), initial, keepState);
        return new MLstmLayer.Output(feedForwardResidual(x.add(m.y())), m.state());
    }

    /** One position {@code [B, d]}. */
    public MLstmLayer.Output step(NDArray x, MLstmLayer.State state) {
        MLstmLayer.Output m = mlstm.step(preMLstmNorm.forward(x), state);
        return new MLstmLayer.Output(feedForwardResidual(x.add(m.y())), m.state());
    }

    private NDArray feedForwardResidual(NDArray a) {
        return a.add(feedForward.forward(preFeedForwardNorm.forward(a)));
    }

    public MLstmLayer mlstm() {
        return mlstm;
    }
}
