package io.bolmo.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.BoundaryPredictor;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.MLstmLayer;
import io.bolmo.nn.Patches;
import io.bolmo.tokenize.SubwordSuffixTrie;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding state of one Bolmo sequence (spec 8.1-8.2): the recurrent state of every encoder and decoder mLSTM
 * layer, the global KV cache (in patches), the current global vector {@code last_value} and the retained-subword
 * cursor. {@link #prefill} runs the prompt; {@link #step} feeds one byte and returns the next logits. Each call
 * works inside its own {@link NDScope}; only the state survives, on this sequence's manager.
 */
public final class BolmoSequence implements AutoCloseable {

    private final BolmoModel model;
    private final NDManager manager;
    private final SubwordSuffixTrie trie;
    private final SubwordSuffixTrie.Cursor cursor;
    private final List<KvCache> caches;
    private List<MLstmLayer.State> encoderStates;
    private List<MLstmLayer.State> decoderStates;
    private NDArray lastValue; // RMSNorm_init(g) of the latest completed patch, [1, d]
    private long patches;

    public BolmoSequence(BolmoModel model, SubwordSuffixTrie trie, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.trie = trie;
        this.cursor = trie == null ? null : trie.cursor();
        this.caches = model.global().newCaches(manager);
    }

    /**
     * Runs the prompt (BOS first) and returns the logits that decide the next symbol. For a prompt of two or more
     * ids the last id is rolled back (spec 4.4): its boundary cannot be predicted without lookahead, so these
     * logits must be restricted to {x_last, x_last + 260} (the forced decision), and the caller feeds x_last again
     * with that decision. For a lone BOS nothing is rolled back.
     */
    public float[] prefill(int[] ids) {
        if (ids.length == 0 || ids[0] != BolmoConfig.BOS_ID) {
            throw new IllegalArgumentException("a prompt must start with BOS (id 1), got " + (ids.length == 0 ? "no ids" : "id " + ids[0]));
        }
        int kept = ids.length == 1 ? 1 : ids.length - 1;
        try (NDScope scope = new NDScope()) {
            int[] prefix = java.util.Arrays.copyOf(ids, kept);
            int[] sub = expandPrefix(prefix);
            List<MLstmLayer.State> enc = new ArrayList<>();
            NDArray h = model.encoder().forward(row(prefix), row(sub), enc);
            boolean[] mask = prefillBoundaries(ids, h, enc);
            Patches p = Patches.of(new boolean[][] {java.util.Arrays.copyOf(mask, kept)});
            NDArray z = model.pooling().pool(h, p);
            NDArray g = model.global().forward(z, 0, caches);
            NDArray value = model.depooling().normGlobal(g.get(new NDIndex(":, -1")));
            NDArray u = model.depooling().depool(h, g, p);
            List<MLstmLayer.State> dec = new ArrayList<>();
            NDArray out = model.decoder().forward(u, dec);
            NDArray logits = model.lmHead().forward(out.get(new NDIndex(":, -1")));
            encoderStates = keep(enc, null);
            decoderStates = keep(dec, null);
            lastValue = keep(value, null);
            patches = p.count(0);
            return logits.toFloatArray();
        }
    }

    /**
     * Feeds the byte of the fused id chosen last (its flag says whether that byte ends a patch) and returns the
     * logits for the next one. A global step runs only when the fed byte ends a patch.
     */
    public float[] step(int fusedId) {
        boolean endsPatch = fusedId >= BolmoConfig.PLAIN_VOCAB;
        int plain = endsPatch ? fusedId - BolmoConfig.PLAIN_VOCAB : fusedId;
        int sub = cursor == null ? 0 : SubwordSuffixTrie.embeddingRow(cursor.push(plain));
        try (NDScope scope = new NDScope()) {
            List<MLstmLayer.State> enc = new ArrayList<>(encoderStates);
            NDArray h = model.encoder().step(vector(plain), vector(sub), enc);
            encoderStates = keep(enc, encoderStates);
            if (endsPatch) {
                NDArray z = model.pooling().project(h).expandDims(1);
                NDArray g = model.global().forward(z, patches, caches);
                lastValue = keep(model.depooling().normGlobal(g.squeeze(1)), lastValue);
                patches++;
            }
            List<MLstmLayer.State> dec = new ArrayList<>(decoderStates);
            NDArray out = model.decoder().step(model.depooling().step(h, lastValue), dec);
            decoderStates = keep(dec, decoderStates);
            return model.lmHead().forward(out).toFloatArray();
        }
    }

    /** Patches completed so far (each one a global step). */
    public long patches() {
        return patches;
    }

    /** The boundary mask over the whole prompt: the encoder state of the rolled-back byte gives the lookahead. */
    private boolean[] prefillBoundaries(int[] ids, NDArray h, List<MLstmLayer.State> enc) {
        NDArray full = h;
        if (ids.length > 1) {
            int last = ids[ids.length - 1];
            int sub = trie == null ? 0 : SubwordSuffixTrie.embeddingRow(trie.expandAt(ids, ids.length - 1));
            NDArray hLast = model.encoder().step(vector(last), vector(sub), new ArrayList<>(enc));
            full = NDArrays.concat(new NDList(h, hLast.expandDims(1)), 1);
        }
        NDArray mask = BoundaryPredictor.decide(model.boundaryPredictor().logProbs(full));
        return mask.toBooleanArray();
    }

    private int[] expandPrefix(int[] prefix) {
        if (cursor == null) {
            return new int[prefix.length];
        }
        int[] sub = cursor.pushAll(prefix);
        for (int i = 0; i < sub.length; i++) {
            sub[i] = SubwordSuffixTrie.embeddingRow(sub[i]);
        }
        return sub;
    }

    private NDArray row(int[] ids) {
        return manager.create(ids, new Shape(1, ids.length));
    }

    private NDArray vector(int id) {
        return manager.create(new int[] {id}, new Shape(1));
    }

    /** Moves new state out of the step's scope onto this sequence's manager and frees the state it replaces. */
    private List<MLstmLayer.State> keep(List<MLstmLayer.State> next, List<MLstmLayer.State> previous) {
        for (MLstmLayer.State s : next) {
            for (NDArray a : new NDArray[] {s.c(), s.n(), s.m()}) {
                NDScope.unregister(a);
                a.attach(manager);
            }
        }
        if (previous != null) {
            previous.forEach(MLstmLayer.State::close);
        }
        return next;
    }

    private NDArray keep(NDArray next, NDArray previous) {
        NDScope.unregister(next);
        next.attach(manager);
        if (previous != null) {
            previous.close();
        }
        return next;
    }

    @Override
    public void close() {
        caches.forEach(KvCache::close);
        manager.close();
    }
}
