package io.bolmo.engine.vector.nn;

import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.vector.tensor.Matrix;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The subword source model (Olmo 2 / Olmo 3) as the Java engine computes it: token embedding, the
 * {@link GlobalTransformer} blocks Bolmo keeps, final norm and LM head; the like-for-like speed baseline of Bolmo.
 * tokens → logits {@code [V]}.
 */
public final class OlmoModel {

    private final OlmoConfig config;
    private final Matrix embedding; // [V, d]
    private final GlobalTransformer blocks;
    private final LmHead lmHead;
    private final int d;

    public OlmoModel(OlmoConfig config, Tensors t) {
        this.config = config;
        this.d = config.hiddenSize();
        this.embedding = t.matrix("model.embed_tokens.weight", config.vocabSize(), d);
        this.blocks = new GlobalTransformer(t, config);
        this.lmHead = new LmHead(t, d, config.vocabSize(), config.rmsNormEps());
    }

    public OlmoConfig config() {
        return config;
    }

    /** The KV caches of a new sequence, one per layer; the next position is {@code caches[0].length()}. */
    public KvCache[] newState() {
        return blocks.newCaches();
    }

    /**
     * Feeds {@code tokens} to the sequence {@code s} in chunks of {@code chunk} positions; returns the logits of
     * every token ({@code allLogits}) or of the last one.
     */
    public float[][] run(KvCache[] s, int[] tokens, boolean allLogits, int chunk, BooleanSupplier cancelled) {
        int n = tokens.length;
        float[][] logits = new float[allLogits ? n : 1][];
        for (int start = 0; start < n; start += chunk) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("prefill cancelled after " + start + " of " + n + " tokens");
            }
            int end = Math.min(n, start + chunk);
            int c = end - start;
            int[] positions = new int[c];
            KvCache[][] caches = new KvCache[c][];
            for (int i = 0; i < c; i++) {
                positions[i] = s[0].length() + i;
                caches[i] = s;
            }
            float[] x = blocks.forward(embed(Arrays.copyOfRange(tokens, start, end)), c, positions, caches);
            if (allLogits) {
                split(lmHead.forward(x, c), logits, start, c);
            } else if (end == n) {
                logits[0] = lmHead.forward(Arrays.copyOfRange(x, (c - 1) * d, c * d), 1);
            }
        }
        return logits;
    }

    /** One token for each of n sequences ({@code rows[i]} its caches) → logits {@code [n][V]}. */
    public float[][] step(KvCache[][] rows, int[] tokens) {
        int n = rows.length;
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = rows[i][0].length();
        }
        float[][] out = new float[n][];
        split(lmHead.forward(blocks.forward(embed(tokens), n, positions, rows), n), out, 0, n);
        return out;
    }

    private float[] embed(int[] tokens) {
        float[] x = new float[tokens.length * d];
        for (int i = 0; i < tokens.length; i++) {
            LocalEncoder.checkRow(tokens[i], embedding, "token id");
            embedding.row(tokens[i], x, i * d);
        }
        return x;
    }

    private void split(float[] flat, float[][] out, int at, int n) {
        int v = lmHead.vocab();
        for (int i = 0; i < n; i++) {
            out[at + i] = Arrays.copyOfRange(flat, i * v, (i + 1) * v);
        }
    }
}
