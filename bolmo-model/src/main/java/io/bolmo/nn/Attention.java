package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import java.util.List;

/**
 * Olmo 2/3 self-attention (model.md §5.2): QK-norm over the full projected width (before the head
 * split), RoPE, causal softmax attention, full or sliding-window. Key j is visible from query p when
 * {@code j ≤ p} and, for sliding layers, {@code j > p − window}. x {@code [B, P, d]} → {@code [B, P, d]}.
 */
public final class Attention {

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;
    private final Rope rope;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int window; // 0 = full

    Attention(Weights w, String prefix, OlmoConfig c, AttentionType type) {
        int d = c.hiddenSize();
        int kvWidth = c.numKeyValueHeads() * c.headDim();
        this.q = Linear.take(w, prefix + ".q_proj", (long) c.numAttentionHeads() * c.headDim(), d, false);
        this.k = Linear.take(w, prefix + ".k_proj", kvWidth, d, false);
        this.v = Linear.take(w, prefix + ".v_proj", kvWidth, d, false);
        this.o = Linear.take(w, prefix + ".o_proj", d, (long) c.numAttentionHeads() * c.headDim(), false);
        this.qNorm = RmsNorm.take(w, prefix + ".q_norm", (long) c.numAttentionHeads() * c.headDim(), c.rmsNormEps());
        this.kNorm = RmsNorm.take(w, prefix + ".k_norm", kvWidth, c.rmsNormEps());
        this.rope = new Rope(c.headDim(), c.ropeTheta());
        this.heads = c.numAttentionHeads();
        this.kvHeads = c.numKeyValueHeads();
        this.headDim = c.headDim();
        this.window = type == AttentionType.SLIDING_ATTENTION ? c.slidingWindow() : 0;
    }

    /**
     * Queries at positions {@code start … start+P−1}. With a cache, earlier keys come from it and the new keys
     * are appended; without one, only the given positions are visible to each other.
     */
    public NDArray forward(NDArray x, long start, KvCache cache) {
        long b = x.getShape().get(0);
        long p = x.getShape().get(1);
        long[] positions = new long[(int) p];
        for (int i = 0; i < p; i++) {
            positions[i] = start + i;
        }
        NDList cosSin = rope.tables(x.getManager(), positions); // [P, hd], broadcast over batch and heads
        NDList qkv = project(x, cosSin.get(0), cosSin.get(1));
        return output(attend(qkv.get(0), qkv.get(1), qkv.get(2), start, cache), b, p);
    }

    /**
     * One new position per row, every row at its own position against its own cache (continuous batching: rows
     * are different sequences). The projections run once over all rows; only the attention itself is per row.
     * x {@code [N, 1, d]}, {@code positions} and {@code caches} one per row → {@code [N, 1, d]}.
     */
    public NDArray step(NDArray x, long[] positions, List<KvCache> caches) {
        int n = positions.length;
        NDList cosSin = rope.tables(x.getManager(), positions); // [N, hd] → [N, 1, 1, hd]: row i's own position
        NDList qkv = project(x, cosSin.get(0).reshape(n, 1, 1, headDim), cosSin.get(1).reshape(n, 1, 1, headDim));
        if (n == 1) {
            return output(attend(qkv.get(0), qkv.get(1), qkv.get(2), positions[0], caches.get(0)), 1, 1);
        }
        NDList rows = new NDList(n);
        for (int i = 0; i < n; i++) {
            NDIndex row = new NDIndex(i + ":" + (i + 1));
            rows.add(attend(qkv.get(0).get(row), qkv.get(1).get(row), qkv.get(2).get(row), positions[i],
                    caches.get(i)));
        }
        return output(NDArrays.concat(rows, 0), n, 1);
    }

    /** q, k (QK-norm, RoPE) and v heads: x {@code [B, P, d]} → {@code [B, H|KVH, P, hd]}. */
    private NDList project(NDArray x, NDArray cos, NDArray sin) {
        long b = x.getShape().get(0);
        long p = x.getShape().get(1);
        NDArray qh = rope.apply(splitHeads(qNorm.forward(q.forward(x)), b, p, heads), cos, sin);
        NDArray kh = rope.apply(splitHeads(kNorm.forward(k.forward(x)), b, p, kvHeads), cos, sin);
        return new NDList(qh, kh, splitHeads(v.forward(x), b, p, kvHeads));
    }

    /** Causal (and windowed) softmax attention of queries at {@code start …}: → {@code [B, H, P, hd]}. */
    private NDArray attend(NDArray qh, NDArray kh, NDArray vh, long start, KvCache cache) {
        long firstKey = start;
        if (cache != null) {
            KvCache.Visible visible = cache.append(kh, vh);
            kh = visible.keys();
            vh = visible.values();
            firstKey = visible.firstPosition();
        }
        kh = repeatKv(kh);
        vh = repeatKv(vh);
        NDArray scores = Scalars.div(qh.matMul(kh.transpose(0, 1, 3, 2)), Math.sqrt(headDim));
        NDArray allowed = visibility(qh.getManager(), start, qh.getShape().get(2), firstKey, kh.getShape().get(2));
        scores = scores.add(MLstmLayer.maskToBias(allowed));
        return scores.softmax(-1).matMul(vh);
    }

    /** Heads back together and the output projection: {@code [B, H, P, hd]} → {@code [B, P, d]}. */
    private NDArray output(NDArray attended, long b, long p) {
        return o.forward(attended.transpose(0, 2, 1, 3).reshape(b, p, (long) heads * headDim));
    }

    /** [P, T] boolean: query at {@code start+i} may see key at {@code firstKey+j}. */
    private NDArray visibility(NDManager m, long start, long p, long firstKey, long t) {
        NDArray qPos = m.arange((int) start, (int) (start + p), 1, DataType.INT64).expandDims(1);
        NDArray kPos = m.arange((int) firstKey, (int) (firstKey + t), 1, DataType.INT64).expandDims(0);
        NDArray allowed = kPos.lte(qPos);
        if (window > 0) {
            allowed = allowed.logicalAnd(kPos.gt(qPos.sub(window)));
        }
        return allowed;
    }

    private NDArray splitHeads(NDArray t, long b, long p, int n) {
        return t.reshape(b, p, n, headDim).transpose(0, 2, 1, 3);
    }

    /** Grouped-query attention: each key/value head serves {@code heads / kvHeads} query heads. */
    private NDArray repeatKv(NDArray t) {
        return kvHeads == heads ? t : t.repeat(1, heads / kvHeads);
    }

    int window() {
        return window;
    }

    float[] ropeInvFreq() {
        return rope.invFreq();
    }
}
