package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.bolmo.engine.Engine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.MLstmLayer;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The decoding state of one Bolmo sequence on DJL (model.md §8.1-8.2): the global KV cache (in patches) and the current
 * global vector {@code last_value}; after the prefill also the recurrent state of every encoder and decoder mLSTM
 * layer, until the sequence joins a {@link DjlBolmoBatch}, which stacks it with the other rows'
 * ({@link #takeLocalStates}). All of it lives on this sequence's manager.
 */
final class DjlBolmoSequence implements Engine.Sequence {

    private final NDManager manager;
    private final List<KvCache> caches;
    private List<MLstmLayer.State> encoderStates; // after the prefill, until a batch takes them; batch 1
    private List<MLstmLayer.State> decoderStates;
    private NDArray lastValue; // RMSNorm_init(g) of the latest completed patch, [1, d]
    private long patches;
    private float[] logits;
    private boolean[] boundaries;
    private float[] logProbs;

    DjlBolmoSequence(BolmoModel model, NDManager parent) {
        this.manager = parent.newSubManager();
        this.caches = model.global().newCaches(manager);
    }

    /** The prompt through {@link ChunkedPass}, the last id rolled back when there are two or more (model.md §4.4). */
    void prefill(BolmoModel model, int[] ids, int[] rows, int chunk, BooleanSupplier cancelled) {
        int kept = ids.length == 1 ? 1 : ids.length - 1;
        ChunkedPass pass = new ChunkedPass(model, manager, caches, false);
        pass.run(ids, rows, kept, chunk, cancelled);
        encoderStates = pass.encoderStates();
        decoderStates = pass.decoderStates();
        lastValue = pass.lastValue();
        patches = pass.patches();
        logits = pass.logits();
        boundaries = pass.boundaries();
        logProbs = pass.logProbs();
    }

    @Override
    public float[] logits() {
        return logits.clone();
    }

    @Override
    public long patches() {
        return patches;
    }

    @Override
    public boolean[] promptBoundaries() {
        return boundaries.clone();
    }

    @Override
    public float[] promptBoundaryLogProbs() {
        return logProbs.clone();
    }

    /** Hands the prefill's encoder and decoder states to the batch this sequence joins: {encoder, decoder}. */
    List<List<MLstmLayer.State>> takeLocalStates() {
        if (encoderStates == null) {
            throw new IllegalStateException("the sequence has no local states to hand over: it joins one batch, once");
        }
        List<List<MLstmLayer.State>> states = List.of(encoderStates, decoderStates);
        encoderStates = null;
        decoderStates = null;
        return states;
    }

    List<KvCache> caches() {
        return caches;
    }

    /** RMSNorm_init(g) of the latest completed patch, {@code [1, d]}. */
    NDArray lastValue() {
        return lastValue;
    }

    /** A new patch of this sequence went through the global model; {@code value} {@code [1, d]} replaces last_value. */
    void patchEnded(NDArray value) {
        lastValue = Owned.keep(value, lastValue, manager);
        patches++;
    }

    @Override
    public void close() {
        caches.forEach(KvCache::close);
        manager.close();
    }
}
