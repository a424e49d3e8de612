package io.bolmo.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.Scores;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.BoundaryPredictor;
import io.bolmo.nn.MLstmLayer;
import io.bolmo.nn.Patches;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chunked prefill and scoring ({@link ChunkedPass}) equal the unchunked computation on golden prompts, for chunk
 * sizes that cut patches and the prompt in awkward places: 1 byte (every boundary decision waits for the next chunk),
 * 3 and 64 (the mLSTM's own chunk); prompts from a lone BOS to 292 bytes. (Each chunk costs some hundred
 * DJL calls, so the tiny chunks run on the shorter prompts.) Same boundary decisions and patch counts
 * exactly; logits, ℓ and encoder states within float32 summation order: {@value #LOGITS} on logits (the golden
 * parity tolerance, model.md §13.3; 1.1e-4 measured), {@value #LOG_PROBS} on ℓ, {@value #HIDDEN} on h. The
 * decoding that follows a chunked prefill stays within {@value #LOGITS} of the one after a single-chunk prefill for
 * {@value #STEPS} steps, so the carried mLSTM states, KV caches and last_value are right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkedPrefillTest {

    static final float LOGITS = 2e-4f;
    static final float LOG_PROBS = 2e-5f;
    static final float HIDDEN = 2e-5f;
    static final int STEPS = 12;

    private NDManager manager;
    private final Map<String, BolmoModel> models = new HashMap<>();
    private SubwordSuffixTrie trie;
    private float worst;

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        Golden.MODELS.forEach(m -> models.put(m, Golden.loadModel(manager, m)));
        trie = SubwordSuffixTrie.build(SubwordVocabulary.load(Golden.root().resolve("subword_vocab.json")));
    }

    @AfterAll
    void tearDown() {
        System.out.println("chunked vs unchunked, max |difference| of logits over all cases: " + worst);
        models.values().forEach(BolmoModel::close);
        manager.close();
    }

    /** A golden prompt, or {@code bos} for a lone BOS. */
    private static int[] prompt(String model, String id) {
        if (id.equals("bos")) {
            return new int[] {BolmoConfig.BOS_ID};
        }
        return Golden.ints(Golden.texts(model).stream().filter(t -> t.get("id").getAsString().equals(id))
                .findFirst().orElseThrow(), "input_ids");
    }

    @ParameterizedTest(name = "{0} {2}, {1}-byte chunks")
    @CsvSource({"tiny-olmo3, 1, utf8_multibyte", "tiny-olmo3, 1, single_char", "tiny-olmo3, 1, bos",
            "tiny-olmo3, 3, python_code", "tiny-olmo3, 3, repeated", "tiny-olmo3, 64, paragraph",
            "tiny-olmo2, 1, chat_markup", "tiny-olmo2, 3, ascii", "tiny-olmo2, 64, paragraph", "tiny-olmo2, 64, bos"})
    void prefillEqualsTheUnchunkedPrefillAndDecodesTheSame(String modelName, int chunk, String id) {
        BolmoModel model = models.get(modelName);
        Engine chunked = DjlBolmoEngine.over(model, chunk);
        Engine whole = DjlBolmoEngine.over(model, Integer.MAX_VALUE);
        int[] ids = prompt(modelName, id);
        int[] rows = SubwordSuffixTrie.embeddingRows(trie, ids);
        Unchunked expected = unchunkedPrefill(manager, model, ids, rows);
        try (Engine.Sequence a = chunked.prefill(ids, rows, () -> false);
                Engine.Sequence b = whole.prefill(ids, rows, () -> false)) {
            assertThat(a.promptBoundaries()).containsExactly(expected.boundaries);
            assertThat(a.patches()).isEqualTo(expected.patches);
            assertThat(maxAbsDiff(a.promptBoundaryLogProbs(), expected.logProbs)).isLessThanOrEqualTo(LOG_PROBS);
            assertThat(diff(a.logits(), expected.logits)).isLessThanOrEqualTo(LOGITS);
            assertThat(diff(b.logits(), expected.logits)).isLessThanOrEqualTo(LOGITS);
            assertSameDecoding(chunked, a, whole, b, ids);
        }
    }

    @ParameterizedTest(name = "{0} {2}, {1}-byte chunks")
    @CsvSource({"tiny-olmo3, 1, utf8_multibyte", "tiny-olmo3, 3, python_code", "tiny-olmo3, 64, paragraph",
            "tiny-olmo2, 3, repeated", "tiny-olmo2, 1, bos"})
    void scoreEqualsTheWholeSequenceForward(String modelName, int chunk, String id) {
        BolmoModel model = models.get(modelName);
        int[] ids = prompt(modelName, id);
        int[] rows = SubwordSuffixTrie.embeddingRows(trie, ids);
        Scores s = DjlBolmoEngine.over(model, chunk).score(ids, rows);
        Shape shape = new Shape(1, ids.length);
        try (NDManager m = manager.newSubManager();
                BolmoModel.Output o = model.forward(m.create(ids, shape), m.create(rows, shape))) {
            assertThat(s.boundaries()).containsExactly(o.boundaryMask().toBooleanArray());
            assertThat(maxAbsDiff(s.boundaryLogProbs(), o.boundaryLogProbs().toFloatArray()))
                    .isLessThanOrEqualTo(LOG_PROBS);
            assertThat(maxAbsDiff(s.encoderStates(), o.encoderStates().toFloatArray())).isLessThanOrEqualTo(HIDDEN);
            assertThat(diff(s.logits(), o.logits().toFloatArray())).isLessThanOrEqualTo(LOGITS);
        }
    }

    /** Greedy steps after both prefills, each sequence alone: the same ids and logits. */
    private void assertSameDecoding(Engine ea, Engine.Sequence a, Engine eb, Engine.Sequence b, int[] prompt) {
        List<Integer> fed = new ArrayList<>();
        for (int id : prompt) {
            fed.add(id);
        }
        try (Engine.Batch ba = ea.newBatch(); Engine.Batch bb = eb.newBatch()) {
            ba.join(a);
            bb.join(b);
            float[] la = a.logits();
            int last = prompt[prompt.length - 1];
            int next = prompt.length == 1 ? greedy(la)
                    : la[last + BolmoConfig.PLAIN_VOCAB] > la[last] ? last + BolmoConfig.PLAIN_VOCAB : last;
            if (prompt.length > 1) {
                fed.remove(fed.size() - 1); // the rolled-back byte is fed again
            }
            for (int k = 0; k < STEPS; k++) {
                fed.add(next);
                int row = SubwordSuffixTrie.embeddingRow(trie.expandAt(fed.stream().mapToInt(i -> i).toArray(),
                        fed.size() - 1));
                float[] sa = ba.step(new int[] {next}, new int[] {row}, new boolean[] {true})[0];
                float[] sb = bb.step(new int[] {next}, new int[] {row}, new boolean[] {true})[0];
                assertThat(diff(sa, sb)).as("step %d", k).isLessThanOrEqualTo(LOGITS);
                next = greedy(sb);
            }
            assertThat(a.patches()).isEqualTo(b.patches());
        }
    }

    /** The prefill as one whole-prompt pass, as it was computed before chunking (model.md §8.1 step 1). */
    private static Unchunked unchunkedPrefill(NDManager parent, BolmoModel model, int[] ids, int[] rows) {
        int kept = ids.length == 1 ? 1 : ids.length - 1;
        try (NDManager m = parent.newSubManager()) {
            Shape shape = new Shape(1, kept);
            List<MLstmLayer.State> enc = new ArrayList<>();
            NDArray h = model.encoder().forward(m.create(Arrays.copyOf(ids, kept), shape),
                    m.create(Arrays.copyOf(rows, kept), shape), enc);
            NDArray full = h;
            if (ids.length > 1) {
                NDArray hLast = model.encoder().step(m.create(new int[] {ids[kept]}, new Shape(1)),
                        m.create(new int[] {rows[kept]}, new Shape(1)), new ArrayList<>(enc));
                full = NDArrays.concat(new NDList(h, hLast.expandDims(1)), 1);
            }
            NDArray lp = model.boundaryPredictor().logProbs(full).get(new NDIndex(":, :" + kept));
            boolean[] mask = BoundaryPredictor.decide(lp).toType(DataType.BOOLEAN, false).toBooleanArray();
            Patches p = Patches.of(new boolean[][] {mask});
            NDArray g = model.global().forward(model.pooling().pool(h, p), 0, null);
            NDArray out = model.decoder().forward(model.depooling().depool(h, g, p), null);
            float[] logits = model.lmHead().forward(out.get(new NDIndex(":, -1"))).toFloatArray();
            return new Unchunked(logits, mask, lp.toFloatArray(), p.count(0));
        }
    }

    private record Unchunked(float[] logits, boolean[] boundaries, float[] logProbs, long patches) {}

    private float diff(float[] a, float[] b) {
        float d = maxAbsDiff(a, b);
        worst = Math.max(worst, d);
        return d;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Greedy over the 512 byte symbols (EOS excluded, so every step feeds a byte). */
    private static int greedy(float[] logits) {
        int best = BolmoConfig.BYTE_OFFSET;
        for (int i = BolmoConfig.BYTE_OFFSET; i < BolmoConfig.FUSED_VOCAB; i++) {
            if (i >= BolmoConfig.PLAIN_VOCAB && i < BolmoConfig.PLAIN_VOCAB + BolmoConfig.BYTE_OFFSET) {
                continue;
            }
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
