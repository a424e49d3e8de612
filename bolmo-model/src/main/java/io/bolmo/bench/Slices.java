package io.bolmo.bench;

import java.util.ArrayList;
import java.util.List;

/** The bandwidth probes' threads: each runs its own contiguous slice of an array, started together, joined. */
final class Slices {

    /** Slice {@code slot} of {@code threads}: elements {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int slot, int from, int to);
    }

    private Slices() {}

    /** Splits {@code [0, n)} into {@code threads} slices on multiples of {@code group} and runs them in parallel. */
    static void run(int n, int threads, int group, Body body) {
        if (threads == 1) {
            body.run(0, 0, n);
            return;
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            int from = start(n, t, threads, group);
            int to = t == threads - 1 ? n : start(n, t + 1, threads, group);
            Thread w = new Thread(() -> body.run(slot, from, to), "bandwidth-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring bandwidth", e);
            }
        }
    }

    private static int start(int n, int t, int threads, int group) {
        return (int) ((long) (n / group) * t / threads) * group;
    }
}
