package io.bolmo.engine.vector.nn;

import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.vector.tensor.Vectors;

/**
 * One Olmo 2/3 transformer block with the reordered post-norms (model.md §5.2):
 * {@code h = x + RMSNorm(Attn(x)); out = h + RMSNorm(SwiGLU(h))}. {@code [n, d]} → {@code [n, d]}.
 */
final class OlmoBlock {

    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGlu feedForward;
    private final RmsNorm postFeedForwardNorm;
    private final int d;

    OlmoBlock(Tensors t, String prefix, OlmoConfig c, AttentionType type) {
        this.d = c.hiddenSize();
        this.attention = new Attention(t, prefix + ".self_attn", c, type);
        this.postAttentionNorm = RmsNorm.take(t, prefix + ".post_attention_layernorm", d, c.rmsNormEps());
        this.feedForward = new SwiGlu(t, prefix + ".mlp", d, c.intermediateSize());
        this.postFeedForwardNorm = RmsNorm.take(t, prefix + ".post_feedforward_layernorm", d, c.rmsNormEps());
    }

    float[] forward(float[] x, int n, int[] positions, KvCache[] caches) {
        float[] h = postAttentionNorm.forward(attention.forward(x, n, positions, caches), n);
        Vectors.add(h, x, n * d);
        float[] out = postFeedForwardNorm.forward(feedForward.forward(h, n), n);
        Vectors.add(out, h, n * d);
        return out;
    }

    KvCache newCache() {
        return attention.newCache();
    }
}
