package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.bolmo.config.ModelPresets;
import org.junit.jupiter.api.Test;

/** Random weights: deterministic per seed and name, with the init rules of model.md §2.2 where they matter. */
class RandomWeightsTest {

    @Test
    void buildsAGoldenSizedModelDeterministically() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                BolmoModel a = BolmoModel.create(ModelPresets.goldenTiny(), Weights.from(m, new RandomWeights(7)));
                BolmoModel b = BolmoModel.create(ModelPresets.goldenTiny(), Weights.from(m, new RandomWeights(7)));
                BolmoModel c = BolmoModel.create(ModelPresets.goldenTiny(), Weights.from(m, new RandomWeights(8)))) {
            String q = "model.local_encoder.layers.0.xlstm.q.weight";
            assertThat(a.weights().get(q).contentEquals(b.weights().get(q))).isTrue();
            assertThat(a.weights().get(q).contentEquals(c.weights().get(q))).isFalse();

            Weights w = a.weights();
            assertThat(w.get("model.local_encoder.layers.0.xlstm.igate_preact.bias").toFloatArray()).containsOnly(-10f);
            float[] f = w.get("model.local_decoder.layers.3.xlstm.fgate_preact.bias").toFloatArray();
            for (float v : f) {
                assertThat(v).isBetween(3f, 6f);
            }
            assertThat(w.get("model.norm.weight").toFloatArray()).containsOnly(1f);
            assertThat(w.get("model.local_encoder.out_projection.bias").toFloatArray()).containsOnly(0f);
            NDArray qProj = w.get("model.local_encoder.boundary_predictor_module.q_proj_layer.weight");
            assertThat(qProj.contentEquals(m.eye(96))).isTrue();
            // N(0, 1/in): a [d, d] matrix has std ≈ 1/sqrt(96) ≈ 0.102
            float std = w.get("model.layers.0.self_attn.q_proj.weight").pow(2).mean().sqrt().getFloat();
            assertThat(std).isBetween(0.09f, 0.115f);
        }
    }

    @Test
    void presetsHaveTheSpecShapes() {
        assertThat(ModelPresets.bolmoOneB().hiddenSize()).isEqualTo(2048);
        assertThat(ModelPresets.bolmoOneB().global().numHiddenLayers()).isEqualTo(16);
        assertThat(ModelPresets.bolmoOneB().localIntermediateSize()).isEqualTo(2816);
        assertThat(ModelPresets.bolmoSevenB().global().intermediateSize()).isEqualTo(11008);
        assertThat(ModelPresets.olmo2OneB().vocabSize()).isEqualTo(100_352);
        var source = ModelPresets.sourceModelOf(ModelPresets.bolmoOneB());
        var olmo = ModelPresets.olmo2OneB();
        assertThat(source.vocabSize()).isEqualTo(olmo.vocabSize());
        assertThat(source.layerTypes()).isEqualTo(olmo.layerTypes());
        assertThat(source.modelType()).isEqualTo("olmo2");
    }
}
