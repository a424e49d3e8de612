package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link Weights.Source} that draws every tensor at random, deterministically from a seed and the tensor name,
 * for benchmarks and shape checks without a checkpoint. Values are drawn by the engine's own seeded random ops
 * (native, multi-threaded), so a Bolmo-1B-sized model (≈ 5.9 GB float32) is created in seconds.
 *
 * <p>Rules, by Hugging Face name (model.md §9.3): norm weights 1; mLSTM input-gate bias −10 (model.md §2.2, as the
 * reference initialises it); mLSTM forget-gate bias U(3, 6), so the recurrent state is kept for tens of bytes
 * rather than reset every step; other biases 0; boundary-predictor q/k projections the identity (model.md §2.2, as
 * H-Net); embeddings N(0, 1); every other matrix N(0, 1/in), which keeps activations at unit scale.
 *
 * <p>The engine's random generator is global: creating weights from two threads at once makes the values
 * depend on timing (shapes and the statistics do not).
 */
public final class RandomWeights extends SeededSource {

    public RandomWeights(long seed) {
        super(seed);
    }

    @Override
    protected NDArray draw(String name, Shape shape, NDManager m) {
        DataType f32 = DataType.FLOAT32;
        if (name.endsWith(".bias")) {
            if (name.endsWith("igate_preact.bias")) {
                return m.full(shape, -10f, f32);
            }
            if (name.endsWith("fgate_preact.bias")) {
                return m.randomUniform(3f, 6f, shape, f32);
            }
            return m.zeros(shape, f32);
        }
        if (shape.dimension() == 1) {
            // every 1-D weight is a norm scale (RMSNorm, q/k norm, the mLSTM per-head LayerNorm)
            return m.ones(shape, f32);
        }
        if (name.contains("boundary_predictor_module.") && shape.get(0) == shape.get(1)) {
            return m.eye((int) shape.get(0)).toType(f32, false);
        }
        if (name.contains("embed")) {
            return m.randomNormal(0f, 1f, shape, f32);
        }
        long in = shape.get(shape.dimension() - 1);
        return m.randomNormal(0f, (float) (1 / Math.sqrt(in)), shape, f32);
    }
}
