package io.bolmo.generate;

import io.bolmo.engine.Engine;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * One Bolmo sequence decoded by itself on an engine, a step at a time under the test's control: the prefill, then
 * one fused id per step through a batch of one, with the subword rows generation would give it ({@link ByteUnits}).
 */
final class AloneSequence implements AutoCloseable {

    private static final boolean[] ADVANCE = {true};

    private final Engine engine;
    private final ByteUnits units;
    private Engine.Sequence seq;
    private Engine.Batch batch;

    AloneSequence(Engine engine, SubwordSuffixTrie trie) {
        this.engine = engine;
        this.units = new ByteUnits(trie, GenerationOptions.greedy(1));
    }

    /** The prompt (BOS first); returns the logits of the forced decision on its last byte (or after a lone BOS). */
    float[] prefill(int[] ids) {
        seq = engine.prefill(ids, units.prefillRows(ids), () -> false);
        batch = engine.newBatch();
        batch.join(seq);
        return seq.logits();
    }

    /** Feeds one fused id and returns the logits for the next. */
    float[] step(int fused) {
        return batch.step(new int[] {fused}, new int[] {units.row(fused)}, ADVANCE)[0];
    }

    long patches() {
        return seq.patches();
    }

    Engine.Sequence sequence() {
        return seq;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
        }
        if (seq != null) {
            seq.close();
        }
    }
}
