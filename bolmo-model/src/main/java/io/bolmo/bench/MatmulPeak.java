package io.bolmo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.tensor.Matrices;
import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;
import java.util.Random;

/**
 * The machine's float32 matrix-multiply peak as two engines reach it, best of 3: libtorch's GEMM (through DJL) on
 * 1024 × 1024 × 1024, and the Java engine's blocked GEMM on W [2048, 2048] × 256 rows (the shape of a prefill
 * chunk). Prefill's fraction of peak divides its counted FLOPs per second by the better of the two.
 */
final class MatmulPeak {

    record Result(double djlFlopsPerSecond, double javaFlopsPerSecond) {
        double best() {
            return Math.max(djlFlopsPerSecond, javaFlopsPerSecond);
        }
    }

    private MatmulPeak() {}

    static Result measure(int threads, boolean java) {
        return new Result(djl(), java ? javaGemm(threads) : 0);
    }

    private static double djl() {
        int n = 1024;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 4; r++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return 2.0 * n * n * n / best;
        }
    }

    private static double javaGemm(int threads) {
        int rows = 2048;
        int cols = 2048;
        int batch = 256;
        try (Parallel p = new Parallel(threads)) {
            Matrix w = Matrices.create(WeightFormat.F32, rows, cols, (r, out) -> {
                Random random = new Random(r);
                for (int k = 0; k < cols; k++) {
                    out[k] = (float) random.nextGaussian();
                }
            }, p);
            float[] x = new float[batch * cols];
            Random random = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] y = new float[batch * rows];
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 4; r++) {
                long t0 = System.nanoTime();
                w.multiply(x, batch, y, p);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return 2.0 * rows * cols * batch / best;
        }
    }
}
