package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.engine.Scores;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.NoGrad;
import io.bolmo.nn.OlmoModel;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The subword Olmo model on DJL/PyTorch (float32): token ids in, logits over its vocabulary out; prefill and scoring
 * in chunks of {@link #prefillChunk()} tokens against the KV caches. Subword rows are ignored.
 */
public final class DjlOlmoEngine extends DjlEngine {

    private final OlmoModel model;
    private final NDManager manager;

    private DjlOlmoEngine(OlmoModel model, int chunk, Runnable release) {
        super(model.weights(), chunk, release);
        this.model = model;
        this.manager = model.weights().manager();
    }

    /** An engine over a model someone else owns: closing it frees only its own. */
    public static DjlOlmoEngine over(OlmoModel model) {
        return over(model, DEFAULT_PREFILL_CHUNK);
    }

    public static DjlOlmoEngine over(OlmoModel model, int chunk) {
        return new DjlOlmoEngine(model, chunk, () -> { });
    }

    static DjlOlmoEngine owning(OlmoModel model, NDManager base) {
        return new DjlOlmoEngine(model, DEFAULT_PREFILL_CHUNK, () -> {
            model.close();
            base.close();
        });
    }

    @Override
    public Sequence prefill(int[] tokens, int[] subwordRows, BooleanSupplier cancelled) {
        checkTokens(tokens);
        return prefilled(new DjlOlmoSequence(model, manager),
                seq -> seq.prefill(model, tokens, prefillChunk(), cancelled));
    }

    @Override
    public Batch newBatch() {
        return new DjlOlmoBatch(model, manager);
    }

    /** Logits at every position, in chunks against the caches; no boundaries or encoder states. */
    @Override
    public Scores score(int[] tokens, int[] subwordRows) {
        checkTokens(tokens);
        int vocab = model.config().vocabSize();
        float[] logits = new float[Math.multiplyExact(tokens.length, vocab)];
        try (NoGrad g = NoGrad.enter(); NDManager scope = manager.newSubManager()) {
            List<KvCache> caches = model.blocks().newCaches(scope);
            for (int s = 0; s < tokens.length; s += prefillChunk()) {
                int e = Math.min(tokens.length, s + prefillChunk());
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = model.embed(step.create(Arrays.copyOfRange(tokens, s, e), new Shape(1, e - s)));
                    float[] part = model.lmHead().forward(model.blocks().forward(x, s, caches)).toFloatArray();
                    System.arraycopy(part, 0, logits, s * vocab, part.length);
                }
            }
            caches.forEach(KvCache::close);
        }
        return new Scores(tokens.length, vocab, logits, new float[0], new boolean[0], 0, new float[0]);
    }

    private void checkTokens(int[] tokens) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token, got none");
        }
        for (int t : tokens) {
            checkToken(model, t);
        }
    }

    static void checkToken(OlmoModel model, int t) {
        if (t < 0 || t >= model.config().vocabSize()) {
            throw new IllegalArgumentException("token id " + t + " is outside the model's vocabulary [0, "
                    + model.config().vocabSize() + ")");
        }
    }

    /** The DJL model itself, for DJL-only work. */
    public OlmoModel model() {
        return model;
    }
}
