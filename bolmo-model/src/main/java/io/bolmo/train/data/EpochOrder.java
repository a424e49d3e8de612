package io.bolmo.train.data;

import java.util.Random;

/**
 * The document order of one epoch (model.md §6.1 Data): the split's document ids, files shuffled and then documents
 * shuffled inside each file with {@link Random} seeded from (seed, epoch[, file]). Shuffling file-major keeps reads
 * local (one {@code .gz} decompressed at a time); {@code java.util.Random} is specified bit-exactly, so the order is
 * the same on every JVM.
 */
public final class EpochOrder {

    private EpochOrder() {}

    public static int[] of(DocumentIndex corpus, PipelineOptions o, long epoch) {
        int nFiles = corpus.fileCount();
        int[] fileOrder = identity(nFiles);
        if (o.shuffle()) {
            shuffle(fileOrder, new Random(mix(o.seed(), epoch, -1)));
        }
        int[] out = new int[corpus.documentCount()];
        int n = 0;
        for (int f : fileOrder) {
            int start = n;
            for (int d = corpus.fileStart(f); d < corpus.fileStart(f + 1); d++) {
                if (o.split().contains(corpus.hash(d), o.heldOutEvery())) {
                    out[n++] = d;
                }
            }
            if (o.shuffle()) {
                shuffleRange(out, start, n, new Random(mix(o.seed(), epoch, f)));
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void shuffle(int[] a, Random r) {
        shuffleRange(a, 0, a.length, r);
    }

    /** Fisher–Yates on a[from, to). */
    private static void shuffleRange(int[] a, int from, int to, Random r) {
        for (int i = to - 1; i > from; i--) {
            int j = from + r.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** SplitMix64 finaliser over the three inputs, so nearby seeds/epochs give unrelated streams. */
    static long mix(long seed, long epoch, long file) {
        long z = seed ^ 0x9E3779B97F4A7C15L * (epoch + 1) ^ 0xC2B2AE3D27D4EB4FL * (file + 2);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
