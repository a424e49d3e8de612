package io.bolmo.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Read-only memory bandwidth as the Java engine's kernels see it: a vector sum over a float array far larger than the
 * caches, each thread its own contiguous slice, best of {@code reps} passes. Decoding only reads weights, and on the
 * machines measured here a read-only stream reaches less than the triad figure (38-39 against 48-51 GB/s with 2
 * threads), so the bench reports both bounds. Needs the Vector API module: call it only when the Java engine runs.
 */
final class ReadBandwidth {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private ReadBandwidth() {}

    /** Best read bandwidth in bytes/s over {@code bytes} of floats with {@code threads} threads. */
    static double bestBytesPerSecond(long bytes, int threads, int reps) {
        int n = (int) Math.min(bytes / 4, Integer.MAX_VALUE - 64) / (4 * F.length()) * (4 * F.length());
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1f);
        double best = 0;
        float total = 0;
        for (int r = 0; r < reps; r++) {
            float[] sums = new float[threads];
            long t0 = System.nanoTime();
            Slices.run(n, threads, 4 * F.length(), (slot, from, to) -> sums[slot] = sum(x, from, to));
            best = Math.max(best, 4.0 * n / ((System.nanoTime() - t0) / 1e9));
            for (float s : sums) {
                total += s;
            }
        }
        if (total < 0) {
            throw new AssertionError(); // keeps the JIT from proving the sums unused
        }
        return best;
    }

    private static float sum(float[] x, int from, int to) {
        int lanes = F.length();
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0; // four chains: loads, not adds, bound it
        for (int i = from; i < to; i += 4 * lanes) {
            a0 = a0.add(FloatVector.fromArray(F, x, i));
            a1 = a1.add(FloatVector.fromArray(F, x, i + lanes));
            a2 = a2.add(FloatVector.fromArray(F, x, i + 2 * lanes));
            a3 = a3.add(FloatVector.fromArray(F, x, i + 3 * lanes));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
