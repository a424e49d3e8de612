package io.bolmo.bench;

/**
 * Memory bandwidth with a STREAM-style triad {@code a[i] = b[i] + s·c[i]} over three double arrays far larger
 * than the caches. Bytes counted per element: 24 (two reads, one write), as STREAM counts them, so the figure is
 * comparable with STREAM's "Triad" line. The best of {@code reps} passes is reported, as STREAM does.
 */
final class StreamTriad {

    private StreamTriad() {}

    /** Best triad bandwidth in bytes/s with {@code threads} threads, each owning a contiguous slice. */
    static double bestBytesPerSecond(int elements, int threads, int reps) {
        double[] a = new double[elements];
        double[] b = new double[elements];
        double[] c = new double[elements];
        java.util.Arrays.fill(b, 1.0);
        java.util.Arrays.fill(c, 2.0);
        double best = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            run(a, b, c, 3.0 + r, threads);
            long dt = System.nanoTime() - t0;
            best = Math.max(best, 24.0 * elements / (dt / 1e9));
        }
        if (a[elements - 1] < 0) {
            // keeps the JIT from proving the result unused
            throw new AssertionError();
        }
        return best;
    }

    private static void run(double[] a, double[] b, double[] c, double s, int threads) {
        Slices.run(a.length, threads, 1, (slot, from, to) -> triad(a, b, c, s, from, to));
    }

    private static void triad(double[] a, double[] b, double[] c, double s, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = b[i] + s * c[i];
        }
    }
}
