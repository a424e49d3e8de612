package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import java.util.List;

/**
 * One Olmo 2/3 transformer block with the "reordered" post-norms (model.md §5.2):
 * {@code h = x + RMSNorm(Attn(x)); out = h + RMSNorm(SwiGLU(h))}. {@code [B, P, d]} → same.
 */
public final class OlmoBlock {

    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGlu feedForward;
    private final RmsNorm postFeedForwardNorm;

    OlmoBlock(Weights w, String prefix, OlmoConfig c, AttentionType type) {
        this.attention = new Attention(w, prefix + ".self_attn", c, type);
        this.postAttentionNorm = RmsNorm.take(w, prefix + ".post_attention_layernorm", c.hiddenSize(), c.rmsNormEps());
        this.feedForward = SwiGlu.take(w, prefix + ".mlp", c.hiddenSize(), c.intermediateSize());
        this.postFeedForwardNorm =
                RmsNorm.take(w, prefix + ".post_feedforward_layernorm", c.hiddenSize(), c.rmsNormEps());
    }

    public NDArray forward(NDArray x, long start, KvCache cache) {
        return feedForwardResidual(x.add(postAttentionNorm.forward(attention.forward(x, start, cache))));
    }

    /** One position per row, each row its own sequence ({@link Attention#step}): {@code [N, 1, d]} → same. */
    public NDArray step(NDArray x, long[] positions, List<KvCache> caches) {
        return feedForwardResidual(x.add(postAttentionNorm.forward(attention.step(x, positions, caches))));
    }

    private NDArray feedForwardResidual(NDArray h) {
        return h.add(postFeedForwardNorm.forward(feedForward.forward(h)));
    }

    Attention attention() {
        return attention;
    }
}
