package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.AttentionType;
import io.bolmo.config.BolmoConfig;
import io.bolmo.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sliding-window layer (window W) lets query p see exactly keys p−W+1 … p; a full layer sees all j ≤ p. */
class SlidingWindowTest {

    @Test
    void slidingLayerSeesOnlyItsWindowAndTheCacheAgrees() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            BolmoConfig config = BolmoConfig.load(Golden.modelDir("tiny-olmo3").resolve("config.json"));
            assertThat(config.global().layerTypes()).containsExactly(AttentionType.SLIDING_ATTENTION,
                    AttentionType.FULL_ATTENTION);
            Weights w = Weights.fromMap(m, Golden.tensors(m, Golden.modelDir("tiny-olmo3").resolve("model.safetensors")));
            Attention sliding = new Attention(w, "model.layers.0.self_attn", config.global(), AttentionType.SLIDING_ATTENTION);
            Attention full = new Attention(w, "model.layers.1.self_attn", config.global(), AttentionType.FULL_ATTENTION);
            int window = config.global().slidingWindow();
            m.getEngine().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(1, 12, 64));
            NDArray y = x.duplicate();
            int p = 10;
            y.set(new NDIndex(":, " + (p - window)), m.randomNormal(new Shape(1, 64))); // just outside the window

            NDIndex atP = new NDIndex(":, " + p);
            assertThat(Golden.maxAbsDiff(sliding.forward(x, 0, null).get(atP), sliding.forward(y, 0, null).get(atP)))
                    .isEqualTo(0f);
            assertThat(Golden.maxAbsDiff(full.forward(x, 0, null).get(atP), full.forward(y, 0, null).get(atP)))
                    .isGreaterThan(1e-3f);
            NDArray z = x.duplicate();
            z.set(new NDIndex(":, " + (p - window + 1)), m.randomNormal(new Shape(1, 64))); // the window's oldest key
            assertThat(Golden.maxAbsDiff(sliding.forward(x, 0, null).get(atP), sliding.forward(z, 0, null).get(atP)))
                    .isGreaterThan(1e-3f);

            // one position at a time through the (trimmed) cache gives the same outputs as the whole sequence
            NDArray whole = sliding.forward(x, 0, null);
            try (KvCache cache = new KvCache(m, window)) {
                for (int i = 0; i < 12; i++) {
                    NDArray step = sliding.forward(x.get(new NDIndex(":, " + i + ":" + (i + 1))), i, cache);
                    assertThat(Golden.maxAbsDiff(step, whole.get(new NDIndex(":, " + i + ":" + (i + 1)))))
                            .isLessThanOrEqualTo(1e-5f);
                    assertThat(cache.length()).isLessThanOrEqualTo(window - 1);
                }
            }
            w.close();
        }
    }

    @Test
    void ropeInverseFrequenciesMatchTheReference() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray ref = Golden.tensors(m, Golden.modelDir("tiny-olmo3").resolve("debug.safetensors")).get("rope_inv_freq");
            float[] ours = new Rope(16, 500000.0).invFreq();
            float[] theirs = ref.toFloatArray();
            for (int i = 0; i < ours.length; i++) {
                assertThat(ours[i]).isCloseTo(theirs[i], org.assertj.core.data.Percentage.withPercentage(1e-4));
            }
            assertThat(List.of(ours.length)).containsExactly(theirs.length);
        }
    }
}
