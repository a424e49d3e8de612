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
 * The decoding state of one Bolmo sequence (spec 8.1-8.2): the global KV cache (in patches), the current global
 * vector {@code last_value} and the retained-subword cursor; after {@link #prefill}, also the recurrent state of
 * every encoder and decoder mLSTM layer, until the sequence joins a {@link DecodeBatch}, which stacks it with the
 * other rows' ({@link #takeLocalStates}). {@link #step} decodes this sequence alone, as a batch of one, so a
 * sequence alone and a sequence among others run the same step. Each call works inside its own {@link NDScope};
 * only the state survives, on this sequence's manager.
 */
public final class BolmoSequence implements AutoCloseable {

    private final BolmoModel model;
    private final NDManager manager;
    private final SubwordSuffixTrie trie;
    private final SubwordSuffixTrie.Cursor cursor;
    private final List<KvCache> caches;
    private List<MLstmLayer.State> encoderStates; // after the prefill, until a batch takes them; batch 1
    private List<MLstmLayer.State> decoderStates;
    private NDArray lastValue; // RMSNorm_init(g) of the latest completed patch, [1, d]
    private long patches;
    private DecodeBatch alone; // the batch of one that step() uses

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
        checkPrompt(ids);
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
            encoderStates = Owned.keep(enc, null, manager);
            decoderStates = Owned.keep(dec, null, manager);
            lastValue = Owned.keep(value, null, manager);
            patches = p.count(0);
            return logits.toFloatArray();
        }
    }

    /** A prompt is plain byte ids with BOS first. */
    static void checkPrompt(int[] ids) {
        if (ids == null || ids.length == 0 || ids[0] != BolmoConfig.BOS_ID) {
            throw new IllegalArgumentException("a prompt must start with BOS (id 1), got "
                    + (ids == null || ids.length == 0 ? "no ids" : "id " + ids[0]));
        }
    }

    /**
     * Feeds the byte of the fused id chosen last (its flag says whether that byte ends a patch) and returns the
     * logits for the next one. A global step runs only when the fed byte ends a patch.
     */
    public float[] step(int fusedId) {
        if (alone == null) {
            alone = new DecodeBatch(model, manager);
            alone.join(this);
        }
        return alone.step(new int[] {fusedId})[0];
    }

    /** Patches completed so far (each one a global step). */
    public long patches() {
        return patches;
    }

    /** Hands the prefill's encoder and decoder states to the batch this sequence joins: {encoder, decoder}. */
    List<List<MLstmLayer.State>> takeLocalStates() {
        if (encoderStates == null) {
            throw new IllegalStateException("the sequence has no local states to hand over: prefill it first, once");
        }
        List<List<MLstmLayer.State>> states = List.of(encoderStates, decoderStates);
        encoderStates = null;
        decoderStates = null;
        return states;
    }

    /** Retained-subword embedding row of the next fed byte (advances the cursor). */
    int subwordRow(int plainId) {
        return cursor == null ? 0 : SubwordSuffixTrie.embeddingRow(cursor.push(plainId));
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

    @Override
    public void close() {
        if (alone != null) {
            alone.close();
        }
        caches.forEach(KvCache::close);
        manager.close();
    }
}
