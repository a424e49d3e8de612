package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.bolmo.testing.Golden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression test for DJL's scalar ops under autograd (see {@link Scalars}): a garbage collection between the
 * forward and the backward pass must not change a single gradient. Before the fix, the mLSTM's soft-capped gate
 * gradients became NaN here.
 */
class AutogradAcrossGcTest {

    @Test
    void gradientsDoNotDependOnWhenTheJvmCollectsGarbage() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Weights w = Weights.fromMap(m, Golden.tensors(m, Golden.modelDir("tiny-olmo3").resolve("model.safetensors")));
            LocalBlock block = LocalBlock.take(w, "model.local_encoder.layers.0", 64, 4, 96, 1e-6);
            w.all().values().forEach(p -> p.setRequiresGradient(true));
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 40, 64)).mul(3f);

            Map<String, float[]> calm = gradients(w, block, x, false);
            for (int i = 0; i < 5; i++) {
                Map<String, float[]> collected = gradients(w, block, x, true);
                for (String name : calm.keySet()) {
                    assertThat(collected.get(name)).as(name).containsExactly(calm.get(name));
                }
            }
            w.close();
        }
    }

    private static Map<String, float[]> gradients(Weights w, LocalBlock block, NDArray x, boolean gc) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope()) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = block.forward(x, false).y();
                if (gc) {
                    System.gc();
                    System.runFinalization();
                }
                collector.backward(y.square().mean());
            }
            for (var e : w.all().entrySet()) {
                if (e.getKey().startsWith("model.local_encoder.layers.0.")) {
                    NDArray g = e.getValue().getGradient();
                    out.put(e.getKey(), g.toFloatArray());
                    g.subi(g);
                }
            }
        }
        return out;
    }
}
