package io.bolmo.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.bolmo.engine.Engine;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.BolmoModel;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.testing.Golden;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java engine in f32 against the reference outputs, at the tolerances of model.md §13.3 (those of
 * {@code GoldenParityTest}): the whole-sequence pass, the per-step generation logits within the per-step artifact
 * bound, and greedy decoding reproducing the 33 golden step ids. Prefill chunks of 16 bytes, so the long cases cross
 * many chunk edges (the boundary lookahead and the decoder's lag of one byte).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorGoldenParityTest {

    private final Map<String, VectorBolmoEngine> engines = new java.util.HashMap<>();
    private final SubwordSuffixTrie trie =
            SubwordSuffixTrie.build(SubwordVocabulary.load(Golden.root().resolve("subword_vocab.json")));

    @BeforeAll
    void load() {
        for (String m : Golden.MODELS) {
            try (HfCheckpoint c = HfCheckpoint.open(Golden.modelDir(m))) {
                engines.put(m, VectorEngines.bolmo(c, c.bolmoConfig(), LoadOptions.defaults()
                        .withDtype(WeightFormat.F32).withThreads(2)).withPrefillChunk(16));
            }
        }
    }

    @AfterAll
    void close() {
        engines.values().forEach(Engine::close);
    }

    static Stream<Arguments> cases() {
        return Golden.MODELS.stream().flatMap(m -> Golden.texts(m).stream()
                .map(t -> Arguments.of(m, t.get("id").getAsString(), t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void wholeSequenceMatchesReference(String model, String id, JsonObject text) {
        Map<String, float[]> expected = GoldenArrays.read(Golden.modelDir(model).resolve("expected.safetensors"));
        Map<String, float[]> debug = GoldenArrays.read(Golden.modelDir(model).resolve("debug.safetensors"));
        int[] ids = Golden.ints(text, "input_ids");
        int[] sub = GoldenArrays.rows(Golden.ints(text, "expanded_subword_ids"));
        VectorBolmoEngine engine = engines.get(model);
        Scores s = engine.score(ids, sub);

        int[] mask = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            mask[t] = s.boundaries()[t] ? 1 : 0;
        }
        assertThat(mask).containsExactly(Golden.ints(text, "boundary_mask"));
        assertThat(GoldenArrays.maxAbsDiff(s.encoderStates(), expected.get(id + ".enc_h"))).isLessThanOrEqualTo(1e-4f);
        float[] lp = s.boundaryLogProbs();
        float[] lpRef = expected.get(id + ".boundary_logprobs");
        assertThat(lp[0]).isEqualTo(0f);
        assertThat(lp[ids.length - 1]).isEqualTo(-100000f);
        if (ids.length > 2) {
            assertThat(GoldenArrays.maxAbsDiff(lp, 1, lpRef, 1, ids.length - 2)).isLessThanOrEqualTo(2e-5f);
        }
        assertThat(GoldenArrays.maxAbsDiff(s.logits(), expected.get(id + ".logits"))).isLessThanOrEqualTo(2e-4f);

        BolmoModel.Pass trace = engine.trace(ids, sub);
        assertThat(GoldenArrays.maxAbsDiff(trace.trace().patchEmbeddings(), debug.get(id + ".patch_embeds")))
                .isLessThanOrEqualTo(1e-4f);
        assertThat(GoldenArrays.maxAbsDiff(trace.trace().globalOutput(), debug.get(id + ".global_out")))
                .isLessThanOrEqualTo(1e-4f);
    }

    static Stream<Arguments> generations() {
        return cases().filter(a -> Golden.hasGeneration((JsonObject) a.get()[2]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("generations")
    void greedyStepsMatchReference(String model, String id, JsonObject text) {
        float[] ref = GoldenArrays.read(Golden.modelDir(model).resolve("expected.safetensors"))
                .get(id + ".gen_step_logits");
        JsonObject gen = text.getAsJsonObject("generation");
        int[] steps = Golden.ints(gen, "step_ids_fused");
        float[] artifact = floats(gen, "ref_minus_noreset_max_abs_per_step");
        int[] outputSub = GoldenArrays.rows(Golden.ints(gen, "expanded_subword_ids_of_output"));
        int[] ids = Golden.ints(text, "input_ids");
        int v = ref.length / steps.length;
        VectorBolmoEngine engine = engines.get(model);
        try (Engine.Sequence seq = engine.prefill(ids, java.util.Arrays.copyOf(outputSub, ids.length), () -> false);
                Engine.Batch batch = engine.newBatch()) {
            batch.join(seq);
            float[] logits = seq.logits();
            for (int k = 0; k < steps.length; k++) {
                if (k > 0) {
                    int position = ids.length - 2 + k; // the fed byte's position in the output
                    logits = batch.step(new int[] {steps[k - 1]}, new int[] {outputSub[position]},
                            new boolean[] {true})[0];
                }
                assertThat(GoldenArrays.maxAbsDiff(logits, 0, ref, k * v, v)).as("step %d", k)
                        .isLessThanOrEqualTo(artifact[k] + 2e-4f);
                int chosen = k == 0 ? forced(logits, ids[ids.length - 1]) : GoldenArrays.argmax(logits);
                assertThat(chosen).as("greedy id of step %d", k).isEqualTo(steps[k]);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("generations")
    void greedyGenerationReproducesStepIdsAndBytes(String model, String id, JsonObject text) {
        JsonObject gen = text.getAsJsonObject("generation");
        List<Integer> ids = new ArrayList<>();
        GenerationResult r = new BolmoGenerator(engines.get(model), trie).generate(Golden.ints(text, "input_ids"),
                GenerationOptions.builder().maxNewBytes(32).stopAtEos(false).build(), new GenerationListener() {
                    @Override
                    public void onStep(int fusedId) {
                        ids.add(fusedId);
                    }
                });
        assertThat(ids).containsExactly(Arrays.stream(Golden.ints(gen, "step_ids_fused")).boxed()
                .toArray(Integer[]::new));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        byte[] expected = HexFormat.of().parseHex(gen.get("new_bytes_hex").getAsString());
        assertThat(r.text()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    /** Step 0: only the last prompt byte, with or without its boundary flag. */
    private static int forced(float[] logits, int last) {
        return logits[last + 260] > logits[last] ? last + 260 : last;
    }

    private static float[] floats(JsonObject o, String field) {
        var a = o.getAsJsonArray(field);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }
}
