package io.bolmo.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.engine.Engine;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous batching on the Java engine: rows decoded together equal the same sequences decoded alone (three rows
 * through the small-batch kernels, eight and sixteen through the blocked GEMM), a held row keeps its state exactly,
 * and prefill is cancelled between chunks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorBatchTest {

    private VectorBolmoEngine engine; // bf16
    private VectorBolmoEngine q8;
    private SubwordSuffixTrie trie;

    @BeforeAll
    void load() {
        try (HfCheckpoint c = HfCheckpoint.open(Golden.modelDir("tiny-olmo3"))) {
            engine = VectorEngines.bolmo(c, c.bolmoConfig(), LoadOptions.defaults().withDtype(WeightFormat.BF16)
                    .withThreads(2)).withPrefillChunk(32);
            q8 = VectorEngines.bolmo(c, c.bolmoConfig(), LoadOptions.defaults().withDtype(WeightFormat.Q8_0)
                    .withThreads(2));
        }
        trie = SubwordSuffixTrie.build(SubwordVocabulary.load(Golden.root().resolve("subword_vocab.json")));
    }

    @AfterAll
    void close() {
        engine.close();
        q8.close();
    }

    /** A greedy decode of one or many prompts, with the trie cursor kept per row as generation keeps it. */
    private List<List<Integer>> decode(List<int[]> prompts, int steps, int holdRow, int holdStep) {
        return decode(engine, prompts, steps, holdRow, holdStep, new ArrayList<>());
    }

    /** As above on {@code engine}, each row's logits of every step added to {@code logits} (one list per row). */
    private List<List<Integer>> decode(VectorBolmoEngine engine, List<int[]> prompts, int steps, int holdRow,
            int holdStep, List<List<float[]>> logitsOut) {
        try (Engine.Batch batch = engine.newBatch()) {
            List<Engine.Sequence> seqs = new ArrayList<>();
            List<SubwordSuffixTrie.Cursor> cursors = new ArrayList<>();
            List<List<Integer>> out = new ArrayList<>();
            int[] next = new int[prompts.size()];
            for (int i = 0; i < prompts.size(); i++) {
                int[] p = prompts.get(i);
                SubwordSuffixTrie.Cursor c = trie.cursor();
                int[] rows = c.pushAll(java.util.Arrays.copyOf(p, p.length - 1));
                int[] all = java.util.Arrays.copyOf(rows, p.length);
                all[p.length - 1] = SubwordSuffixTrie.embeddingRow(trie.expandAt(p, p.length - 1));
                for (int k = 0; k < rows.length; k++) {
                    all[k] = SubwordSuffixTrie.embeddingRow(all[k]);
                }
                Engine.Sequence s = engine.prefill(p, all, () -> false);
                seqs.add(s);
                cursors.add(c);
                batch.join(s);
                float[] l = s.logits();
                int last = p[p.length - 1];
                next[i] = l[last + 260] > l[last] ? last + 260 : last;
                out.add(new ArrayList<>(List.of(next[i])));
                logitsOut.add(new ArrayList<>());
            }
            for (int step = 0; step < steps; step++) {
                int b = prompts.size();
                int[] sub = new int[b];
                boolean[] advance = new boolean[b];
                for (int i = 0; i < b; i++) {
                    advance[i] = !(i == holdRow && step == holdStep);
                    sub[i] = advance[i] ? SubwordSuffixTrie.embeddingRow(cursors.get(i).push(next[i] % 260)) : 0;
                }
                float[][] logits = batch.step(next.clone(), sub, advance);
                for (int i = 0; i < b; i++) {
                    if (!advance[i]) {
                        assertThat(logits[i]).isNull();
                        continue;
                    }
                    next[i] = GoldenArrays.argmax(java.util.Arrays.copyOf(logits[i], 520));
                    out.get(i).add(next[i]);
                    logitsOut.get(i).add(logits[i].clone());
                }
            }
            seqs.forEach(Engine.Sequence::close);
            return out;
        }
    }

    private List<int[]> prompts(int n) {
        List<int[]> all = new ArrayList<>();
        for (var t : Golden.texts("tiny-olmo3")) {
            int[] ids = Golden.ints(t, "input_ids");
            if (ids.length > 2) {
                all.add(ids);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(all.get(i % all.size()));
        }
        return out;
    }

    /**
     * Rows decoded together give the same bytes as each alone, and the same logits bit for bit: the products are
     * batch-invariant (bf16 sums in the GEMM's order on every path; three rows take the small-batch kernels, eight
     * and sixteen the GEMM), and everything else is per row.
     */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {3, 8, 16})
    void rowsDecodedTogetherEqualEachAlone(int rows) {
        assertTogetherEqualsAlone(engine, prompts(rows));
    }

    /** q8_0 rounds the inputs of every decoding step to int8 and sums them exactly in its integer kernel. */
    @Test
    void q8RowsDecodedTogetherEqualEachAlone() {
        assertTogetherEqualsAlone(q8, prompts(8));
    }

    private void assertTogetherEqualsAlone(VectorBolmoEngine e, List<int[]> prompts) {
        List<List<float[]>> logits = new ArrayList<>();
        List<List<Integer>> together = decode(e, prompts, 24, -1, -1, logits);
        for (int i = 0; i < prompts.size(); i++) {
            List<List<float[]>> aloneLogits = new ArrayList<>();
            List<Integer> alone = decode(e, List.of(prompts.get(i)), 24, -1, -1, aloneLogits).get(0);
            assertThat(together.get(i)).as("row %d", i).isEqualTo(alone);
            for (int step = 0; step < alone.size() - 1; step++) {
                assertThat(logits.get(i).get(step)).as("row %d, step %d", i, step)
                        .containsExactly(aloneLogits.get(0).get(step));
            }
        }
    }

    @ParameterizedTest(name = "hold at step {0}")
    @ValueSource(ints = {0, 5})
    void aHeldRowContinuesAsIfItHadNotBeenHeld(int holdStep) {
        List<int[]> prompts = prompts(3);
        List<List<Integer>> held = decode(prompts, 21, 1, holdStep);
        assertThat(held.get(1)).isEqualTo(decode(List.of(prompts.get(1)), 20, -1, -1).get(0));
    }

    @org.junit.jupiter.api.Test
    void prefillIsCancelledBetweenChunksAndPromptsAreChecked() {
        int[] ids = prompts(1).get(0);
        int[] rows = new int[ids.length];
        int[] calls = {0};
        assertThatThrownBy(() -> engine.prefill(ids, rows, () -> ++calls[0] > 1))
                .isInstanceOf(CancellationException.class).hasMessageContaining("after 32 of");
        assertThatThrownBy(() -> engine.prefill(new int[] {5, 6}, new int[2], () -> false))
                .hasMessageContaining("must start with BOS");
        assertThatThrownBy(() -> engine.prefill(new int[] {1, 6}, new int[1], () -> false))
                .hasMessageContaining("one row per id");
        assertThatThrownBy(() -> engine.prefill(new int[] {1, 999}, new int[2], () -> false))
                .hasMessageContaining("prompt id 999 at position 1");
    }
}
