package io.bolmo.engine.vector;

import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.Tensors;
import io.bolmo.engine.vector.tensor.Matrices;
import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;
import java.util.SplittableRandom;

/**
 * Random weights created directly in the model's format, for benchmarks and shape tests without a checkpoint (a
 * Bolmo-7B in q8_0 never exists as float32). Deterministic in the seed, the tensor name and the row, whatever the
 * threads. The rules of {@link io.bolmo.nn.RandomWeights}, by Hugging Face name: norm weights 1; mLSTM input-gate
 * bias −10 (or as given), forget-gate bias U(3, 6), other biases 0; boundary-predictor q/k the identity; embeddings unit variance;
 * every other matrix variance 1/in. Values are uniform with those variances (cheaper to draw than normals; the
 * statistics that matter for speed and activation scale are the same).
 */
final class RandomTensors implements Tensors {

    /** The reference's initialisation of the mLSTM input-gate bias (model.md §2.2), what {@link io.bolmo.nn.RandomWeights}
     * draws too. */
    static final float REFERENCE_INPUT_GATE_BIAS = -10f;

    private final long seed;
    private final WeightFormat format;
    private final Parallel threads;
    private final float inputGateBias;
    private final Inventory inventory = new Inventory();

    RandomTensors(long seed, WeightFormat format, Parallel threads, float inputGateBias) {
        this.seed = seed;
        this.format = format;
        this.threads = threads;
        this.inputGateBias = inputGateBias;
    }

    @Override
    public Matrix matrix(String name, int rows, int cols) {
        WeightFormat f = Matrices.fits(format, cols) ? format : WeightFormat.F32;
        return create(f, name, rows, cols);
    }

    @Override
    public Matrix f32Matrix(String name, int rows, int cols) {
        return create(WeightFormat.F32, name, rows, cols);
    }

    private Matrix create(WeightFormat f, String name, int rows, int cols) {
        boolean identity = name.contains("boundary_predictor_module.") && rows == cols;
        // uniform on [−a, a] has variance a²/3
        double a = Math.sqrt(3) * (name.contains("embed") ? 1 : 1 / Math.sqrt(cols));
        long base = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        Matrix m = Matrices.create(f, rows, cols, (r, out) -> {
            if (identity) {
                java.util.Arrays.fill(out, 0f);
                out[r] = 1f;
                return;
            }
            SplittableRandom random = new SplittableRandom(base + 0x632BE59BD9B4E019L * r);
            for (int k = 0; k < cols; k++) {
                out[k] = (float) (a * (2 * random.nextDouble() - 1));
            }
        }, threads);
        return inventory.add(name, m);
    }

    @Override
    public float[] vector(String name, int n) {
        float[] v = new float[n];
        if (name.endsWith("igate_preact.bias")) {
            java.util.Arrays.fill(v, inputGateBias);
        } else if (name.endsWith("fgate_preact.bias")) {
            SplittableRandom random = new SplittableRandom(seed + name.hashCode());
            for (int i = 0; i < n; i++) {
                v[i] = (float) (3 + 3 * random.nextDouble());
            }
        } else if (!name.endsWith(".bias")) {
            java.util.Arrays.fill(v, 1f); // every 1-D weight but a bias is a norm scale
        }
        return inventory.add(name, v);
    }

    @Override
    public Parallel threads() {
        return threads;
    }

    Inventory inventory() {
        return inventory;
    }
}
