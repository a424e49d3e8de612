package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A standalone probe of one matrix product, for the kernel figures in docs/benchmarks.md (not a test): 8 random
 * matrices in one format, multiplied in turn so that their weights come from memory, 6 rounds of 40 products, each
 * round printed in G weights per second (times the batch: products per second). Arguments: format, threads, batch;
 * {@code -Drows=}, {@code -Dcols=} (default [8192, 2048]). Run after {@code mvn -o -pl bolmo-model test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bolmo-model/target/classes:bolmo-model/target/test-classes \
 *     io.bolmo.engine.vector.tensor.KernelProbe q8_0 2 8
 * </pre>
 */
public final class KernelProbe {

    private KernelProbe() {}

    public static void main(String[] args) {
        WeightFormat format = WeightFormat.parse(args[0]);
        int threads = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int rows = Integer.getInteger("rows", 8192);
        int cols = Integer.getInteger("cols", 2048);
        try (Parallel p = new Parallel(threads)) {
            Matrix[] ms = new Matrix[8];
            for (int i = 0; i < ms.length; i++) {
                long seed = i;
                ms[i] = Matrices.create(format, rows, cols, (r, out) -> {
                    SplittableRandom random = new SplittableRandom(seed * rows + r);
                    for (int k = 0; k < cols; k++) {
                        out[k] = (float) random.nextGaussian();
                    }
                }, p);
            }
            float[] x = new float[batch * cols];
            SplittableRandom random = new SplittableRandom(5);
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian();
            }
            float[] y = new float[batch * rows];
            for (int round = 0; round < 6; round++) {
                int products = 40;
                long t0 = System.nanoTime();
                for (int i = 0; i < products; i++) {
                    ms[i % ms.length].multiply(x, batch, y, p);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s [%d, %d] threads %d batch %d: %.2f G weights/s (y[0] %.3f)%n",
                        format, rows, cols, threads, batch, (double) rows * cols * products / seconds / 1e9, y[0]);
            }
        }
    }
}
