package io.bolmo.engine.vector.nn;

import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Vectors;

/**
 * Olmo 2/3 self-attention (model.md §5.2): QK-norm over the full projected width, RoPE, causal softmax attention, full
 * or sliding-window (key j visible from query p when {@code j ≤ p} and, sliding, {@code j > p − window}).
 *
 * <p>n rows, row i at {@code positions[i]} against {@code caches[i]}: decoding passes one row per sequence, prefill
 * n consecutive positions of one sequence (the same cache n times). The projections are one product over all rows;
 * the attention itself runs per row and head in parallel.
 */
final class Attention {

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
    private final int window;
    private final Parallel threads;

    Attention(Tensors t, String prefix, OlmoConfig c, AttentionType type) {
        int d = c.hiddenSize();
        int qWidth = c.numAttentionHeads() * c.headDim();
        int kvWidth = c.numKeyValueHeads() * c.headDim();
        this.q = Linear.take(t, prefix + ".q_proj", qWidth, d, false);
        this.k = Linear.take(t, prefix + ".k_proj", kvWidth, d, false);
        this.v = Linear.take(t, prefix + ".v_proj", kvWidth, d, false);
        this.o = Linear.take(t, prefix + ".o_proj", d, qWidth, false);
        this.qNorm = RmsNorm.take(t, prefix + ".q_norm", qWidth, c.rmsNormEps());
        this.kNorm = RmsNorm.take(t, prefix + ".k_norm", kvWidth, c.rmsNormEps());
        this.rope = new Rope(c.headDim(), c.ropeTheta());
        this.heads = c.numAttentionHeads();
        this.kvHeads = c.numKeyValueHeads();
        this.headDim = c.headDim();
        this.window = type == AttentionType.SLIDING_ATTENTION ? c.slidingWindow() : 0;
        this.threads = t.threads();
    }

    KvCache newCache() {
        return new KvCache(kvHeads * headDim, window);
    }

    /** x {@code [n, d]} → {@code [n, d]}; each row's key and value are appended to its cache. */
    float[] forward(float[] x, int n, int[] positions, KvCache[] caches) {
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        float[] qs = qNorm.forward(q.forward(x, n), n);
        float[] ks = kNorm.forward(k.forward(x, n), n);
        float[] vs = v.forward(x, n);
        for (int i = 0; i < n; i++) {
            if (positions[i] != caches[i].length()) {
                throw new IllegalStateException("row " + i + " is at position " + positions[i] + " but its cache"
                        + " holds " + caches[i].length());
            }
            rope.apply(qs, i * qWidth, heads, positions[i]);
            rope.apply(ks, i * kvWidth, kvHeads, positions[i]);
            caches[i].append(ks, i * kvWidth, vs, i * kvWidth);
        }
        float[] attended = new float[n * qWidth];
        long work = 0;
        for (int i = 0; i < n; i++) {
            work += (long) (positions[i] - caches[i].firstVisible(positions[i]) + 1) * qWidth * 2;
        }
        threads.forEach(n * heads, work, task -> attend(qs, task / heads, task % heads, positions, caches, attended));
        for (int i = 0; i < n; i++) {
            caches[i].trim();
        }
        return o.forward(attended, n);
    }

    /** Softmax attention of row i's head h over the keys its position may see, a page of keys at a time. */
    private void attend(float[] qs, int i, int h, int[] positions, KvCache[] caches, float[] out) {
        KvCache cache = caches[i];
        int p = positions[i];
        int first = cache.firstVisible(p);
        int qo = i * heads * headDim + h * headDim;
        int kvo = h / (heads / kvHeads) * headDim; // grouped-query attention: the head's KV head
        float scale = (float) Math.sqrt(headDim);
        float[] scores = new float[p - first + 1];
        float[] page = new float[KvCache.PAGE];
        float max = Float.NEGATIVE_INFINITY;
        for (int start = first - first % KvCache.PAGE; start <= p; start += KvCache.PAGE) {
            cache.scorePage(start, qs, qo, kvo, headDim, page);
            for (int j = Math.max(first, start); j <= Math.min(p, start + KvCache.PAGE - 1); j++) {
                float s = page[j - start] / scale;
                scores[j - first] = s;
                max = Math.max(max, s);
            }
        }
        float sum = 0;
        for (int j = 0; j < scores.length; j++) {
            scores[j] = (float) Math.exp(scores[j] - max);
            sum += scores[j];
        }
        for (int j = first; j <= p; j++) {
            Vectors.axpy(scores[j - first] / sum, cache.valuePage(j), cache.offset(j) + kvo, out, qo, headDim);
        }
    }
}
