package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.bolmo.config.BolmoConfig;
import io.bolmo.testing.Golden;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The full forward pass against the reference outputs, at the tolerances of model.md §13.3. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenParityTest {

    private NDManager manager;

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    void tearDown() {
        manager.close();
    }

    static Stream<Arguments> cases() {
        return Golden.MODELS.stream().flatMap(m -> Golden.texts(m).stream().map(t -> Arguments.of(m, t.get("id").getAsString(), t)));
    }


    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void forwardMatchesReference(String model, String id, JsonObject text) {
        try (NDManager scope = manager.newSubManager(); BolmoModel bolmo = Golden.loadModel(scope, model)) {
            Map<String, NDArray> expected = Golden.tensors(scope, Golden.modelDir(model).resolve("expected.safetensors"));
            Map<String, NDArray> debug = Golden.tensors(scope, Golden.modelDir(model).resolve("debug.safetensors"));
            int[] ids = Golden.ints(text, "input_ids");
            int[] sub = Golden.ints(text, "expanded_subword_ids");
            NDArray idArr = scope.create(ids, new Shape(1, ids.length));
            NDArray subArr = scope.create(sub, new Shape(1, sub.length));
            try (BolmoModel.Output out = bolmo.forward(idArr, subArr)) {
                int[] mask = out.boundaryMask().toType(DataType.INT32, false).toIntArray();
                assertThat(mask).containsExactly(Golden.ints(text, "boundary_mask"));
                assertThat(out.patches().count(0)).isEqualTo(text.get("num_patches_P").getAsInt());

                assertThat(Golden.maxAbsDiff(out.encoderStates().squeeze(0), expected.get(id + ".enc_h")))
                        .isLessThanOrEqualTo(1e-4f);
                NDArray lp = out.boundaryLogProbs().squeeze(0);
                NDArray lpRef = expected.get(id + ".boundary_logprobs");
                assertThat(lp.getFloat(0)).isEqualTo(lpRef.getFloat(0)).isEqualTo(0f);
                assertThat(lp.getFloat(ids.length - 1)).isEqualTo(-100000f);
                if (ids.length > 2) {
                    NDIndex inner = new NDIndex("1:" + (ids.length - 1));
                    assertThat(Golden.maxAbsDiff(lp.get(inner), lpRef.get(inner))).isLessThanOrEqualTo(2e-5f);
                }
                assertThat(Golden.maxAbsDiff(out.patchEmbeddings().squeeze(0), debug.get(id + ".patch_embeds")))
                        .isLessThanOrEqualTo(1e-4f);
                assertThat(Golden.maxAbsDiff(out.globalOutput().squeeze(0), debug.get(id + ".global_out")))
                        .isLessThanOrEqualTo(1e-4f);
                assertThat(Golden.maxAbsDiff(out.logits().squeeze(0), expected.get(id + ".logits")))
                        .isLessThanOrEqualTo(2e-4f);
            }
        }
    }
}
