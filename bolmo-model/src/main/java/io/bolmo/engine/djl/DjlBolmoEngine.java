package io.bolmo.engine.djl;

import ai.djl.ndarray.NDManager;
import io.bolmo.engine.Prompts;
import io.bolmo.engine.Scores;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.NoGrad;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Bolmo on DJL/PyTorch (CPU or CUDA, float32): the reference engine. Prefill and scoring run the prompt in chunks
 * of {@link #prefillChunk()} bytes ({@link ChunkedPass}); decoding steps batch many sequences
 * ({@link DjlBolmoBatch}).
 */
public final class DjlBolmoEngine extends DjlEngine {

    private final BolmoModel model;
    private final NDManager manager;

    private DjlBolmoEngine(BolmoModel model, int chunk, Runnable release) {
        super(model.weights(), chunk, release);
        this.model = model;
        this.manager = model.weights().manager();
    }

    /** An engine over a model someone else owns (tests, benchmarks, training): closing it frees only its own. */
    public static DjlBolmoEngine over(BolmoModel model) {
        return over(model, DEFAULT_PREFILL_CHUNK);
    }

    /** As {@link #over(BolmoModel)} with {@code chunk} bytes per prefill chunk. */
    public static DjlBolmoEngine over(BolmoModel model, int chunk) {
        return new DjlBolmoEngine(model, chunk, () -> { });
    }

    /** An engine that owns {@code model} and the base manager of its weights: closing it frees both. */
    static DjlBolmoEngine owning(BolmoModel model, NDManager base) {
        return new DjlBolmoEngine(model, DEFAULT_PREFILL_CHUNK, () -> {
            model.close();
            base.close();
        });
    }

    @Override
    public Sequence prefill(int[] ids, int[] subwordRows, BooleanSupplier cancelled) {
        checkPrompt(ids, subwordRows);
        return prefilled(new DjlBolmoSequence(model, manager),
                seq -> seq.prefill(model, ids, subwordRows, prefillChunk(), cancelled));
    }

    @Override
    public Batch newBatch() {
        return new DjlBolmoBatch(model, manager);
    }

    @Override
    public Scores score(int[] ids, int[] subwordRows) {
        checkPrompt(ids, subwordRows);
        try (NoGrad g = NoGrad.enter(); NDManager scope = manager.newSubManager()) {
            List<KvCache> caches = model.global().newCaches(scope);
            ChunkedPass pass = new ChunkedPass(model, scope, caches, true);
            pass.run(ids, subwordRows, ids.length, prefillChunk(), () -> false);
            caches.forEach(KvCache::close);
            return new Scores(ids.length, model.config().vocabSize(), pass.logits(), pass.logProbs(),
                    pass.boundaries(), model.config().hiddenSize(), pass.hidden());
        }
    }

    /** A prompt is plain byte ids with BOS first ({@link Prompts}), one subword row each. */
    static void checkPrompt(int[] ids, int[] rows) {
        Prompts.checkBytes(ids);
        if (rows == null || rows.length != ids.length) {
            throw new IllegalArgumentException("subword rows = " + (rows == null ? "null" : rows.length)
                    + " for " + ids.length + " ids: one row per id is needed");
        }
    }

    /** The DJL model itself, for DJL-only work (training, benchmarks of single components). */
    public BolmoModel model() {
        return model;
    }
}
