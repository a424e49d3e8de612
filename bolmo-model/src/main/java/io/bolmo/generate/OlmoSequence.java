package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.OlmoModel;
import java.util.List;

/**
 * The decoding state of one subword-model sequence (plain KV-cache decoding, the baseline of spec 8.2): the KV
 * cache of every layer and the next position. {@link #prefill} runs the prompt, {@link #step} one token; both
 * return the logits for the next token. Temporaries live on a per-call manager; only the caches survive.
 */
public final class OlmoSequence implements AutoCloseable {

    private final OlmoModel model;
    private final NDManager manager;
    private final List<KvCache> caches;
    private long position;

    public OlmoSequence(OlmoModel model, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.caches = model.blocks().newCaches(manager);
    }

    /** Runs the prompt tokens (at least one) and returns the logits after the last. */
    public float[] prefill(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token, got none");
        }
        if (position != 0) {
            throw new IllegalStateException("prefill on a sequence already at position " + position);
        }
        return feed(tokens);
    }

    /** Feeds one token and returns the logits for the next. */
    public float[] step(int token) {
        return feed(new int[] {token});
    }

    /** Tokens fed so far (the position of the next one). */
    public long position() {
        return position;
    }

    private float[] feed(int[] tokens) {
        for (int t : tokens) {
            if (t < 0 || t >= model.config().vocabSize()) {
                throw new IllegalArgumentException("token id " + t + " is outside the model's vocabulary [0, "
                        + model.config().vocabSize() + ")");
            }
        }
        try (NDManager step = manager.newSubManager();
                OlmoModel.Output o = model.forward(step.create(tokens, new Shape(1, tokens.length)), position, caches,
                        false)) {
            position += tokens.length;
            return o.logits().get(new NDIndex(0, -1)).toFloatArray();
        }
    }

    @Override
    public void close() {
        caches.forEach(KvCache::close);
        manager.close();
    }
}
