package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.engine.Engine;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.OlmoModel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The decoding state of one subword-model sequence on DJL (plain KV-cache decoding, the baseline of model.md §8.2): the
 * KV cache of every layer and the next position, on this sequence's manager.
 */
final class DjlOlmoSequence implements Engine.Sequence {

    private final NDManager manager;
    private final List<KvCache> caches;
    private long position;
    private float[] logits;
    private boolean inBatch;

    DjlOlmoSequence(OlmoModel model, NDManager parent) {
        this.manager = parent.newSubManager();
        this.caches = model.blocks().newCaches(manager);
    }

    /** The prompt in chunks of {@code chunk} tokens against the caches; the LM head on the last position only. */
    void prefill(OlmoModel model, int[] tokens, int chunk, BooleanSupplier cancelled) {
        for (int s = 0; s < tokens.length; s += chunk) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("prefill cancelled after " + s + " of " + tokens.length + " tokens");
            }
            int e = Math.min(tokens.length, s + chunk);
            try (NDScope scope = new NDScope()) {
                NDArray x = model.embed(manager.create(Arrays.copyOfRange(tokens, s, e), new Shape(1, e - s)));
                NDArray g = model.blocks().forward(x, position, caches);
                position = e;
                if (e == tokens.length) {
                    logits = model.lmHead().forward(g.get(new NDIndex(":, -1"))).toFloatArray();
                }
            }
        }
    }

    @Override
    public float[] logits() {
        return logits.clone();
    }

    /** Tokens fed so far (the position of the next one): each one a step of the transformer. */
    @Override
    public long patches() {
        return position;
    }

    @Override
    public boolean[] promptBoundaries() {
        return new boolean[0];
    }

    @Override
    public float[] promptBoundaryLogProbs() {
        return new float[0];
    }

    List<KvCache> caches() {
        return caches;
    }

    long position() {
        return position;
    }

    void advanced() {
        position++;
    }

    /** Marks the sequence as a batch row; a sequence joins one batch, once. */
    void joined() {
        if (inBatch) {
            throw new IllegalStateException("the sequence is already a row of a batch: it joins one batch, once");
        }
        inBatch = true;
    }

    @Override
    public void close() {
        caches.forEach(KvCache::close);
        manager.close();
    }
}
