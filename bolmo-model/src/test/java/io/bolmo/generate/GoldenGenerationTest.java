package io.bolmo.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.config.BolmoConfig;
import io.bolmo.testing.Golden;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Greedy generation against the reference {@code generate()} (model.md §8.1, §13.4). */
class GoldenGenerationTest extends GoldenManagerTest {

    static Stream<Arguments> cases() {
        return Golden.MODELS.stream().flatMap(m -> Golden.texts(m).stream()
                .filter(Golden::hasGeneration)
                .map(t -> Arguments.of(m, t.get("id").getAsString(), t)));
    }


    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void stepLogitsStayWithinThePerStepBound(String model, String id, JsonObject text) {
        try (NDManager scope = manager.newSubManager(); BolmoModel bolmo = Golden.loadModel(scope, model)) {
            JsonObject gen = text.getAsJsonObject("generation");
            int[] steps = Golden.ints(gen, "step_ids_fused");
            float[][] ref = rows(Golden.tensors(scope, Golden.modelDir(model).resolve("expected.safetensors"))
                    .get(id + ".gen_step_logits"));
            float[] artifact = floats(gen, "ref_minus_noreset_max_abs_per_step");
            try (AloneSequence seq = new AloneSequence(DjlBolmoEngine.over(bolmo), trie)) {
                float[] logits = seq.prefill(Golden.ints(text, "input_ids"));
                for (int k = 0; k < steps.length; k++) {
                    if (k > 0) {
                        logits = seq.step(steps[k - 1]);
                    }
                    assertThat(TinyModels.maxAbsDiff(logits, ref[k])).as("step %d", k).isLessThanOrEqualTo(artifact[k] + 2e-4f);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void greedyGenerationReproducesStepIdsAndBytes(String model, String id, JsonObject text) {
        try (NDManager scope = manager.newSubManager(); BolmoModel bolmo = Golden.loadModel(scope, model)) {
            JsonObject gen = text.getAsJsonObject("generation");
            List<Integer> ids = new ArrayList<>();
            GenerationResult r = new BolmoGenerator(DjlBolmoEngine.over(bolmo), trie).generate(Golden.ints(text, "input_ids"),
                    GenerationOptions.builder().maxNewBytes(32).stopAtEos(false).build(), new GenerationListener() {
                        @Override
                        public void onStep(int fusedId) {
                            ids.add(fusedId);
                        }
                    });
            assertThat(ids).containsExactly(box(Golden.ints(gen, "step_ids_fused")));
            assertThat(r.generatedUnits()).isEqualTo(32);
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            byte[] expected = HexFormat.of().parseHex(gen.get("new_bytes_hex").getAsString());
            assertThat(r.text()).isEqualTo(new String(expected, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static Integer[] box(int[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Integer[]::new);
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int v = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][v];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * v, out[i], 0, v);
        }
        return out;
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
