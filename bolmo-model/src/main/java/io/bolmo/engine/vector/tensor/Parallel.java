package io.bolmo.engine.vector.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fixed pool for the kernels: {@link #forEach} runs tasks {@code 0 … n−1} on the calling thread and
 * {@code threads − 1} workers, which claim tasks from a shared counter (so a core slowed by another process takes
 * fewer). A decoding step issues dozens of short parallel loops, so workers spin briefly before they park: waking a
 * parked thread costs tens of microseconds, as much as a whole small matrix-vector product.
 *
 * <p>One loop at a time: concurrent callers are serialised. Workers are daemon threads; {@link #close} stops them.
 */
public final class Parallel implements AutoCloseable {

    /** How long an idle worker spins before it parks. */
    private static final long SPIN_NANOS = 50_000;
    /** Loops smaller than this (in multiply-adds or similar) run on the calling thread. */
    public static final long INLINE_WORK = 1 << 16;

    private final int threads;
    private final Thread[] workers;
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int tasks) {
            this.body = body;
            this.tasks = tasks;
        }

        void run() {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + " is invalid: must be >= 1");
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::work, "bolmo-kernel-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** One thread per available core. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body(i)} for every {@code i} in {@code [0, tasks)} and returns when all have finished. */
    public synchronized void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || workers.length == 0) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("the kernel threads are closed");
        }
        Job j = new Job(body, tasks);
        job = j;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        j.run();
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (j.done.get() < tasks) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = j.failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * As {@link #forEach(int, IntConsumer)}, but on the calling thread alone when the loop does less than
     * {@link #INLINE_WORK} units of {@code work} in all (multiply-adds, say): waking workers would cost more.
     */
    public void forEach(int tasks, long work, IntConsumer body) {
        if (work < INLINE_WORK) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
        } else {
            forEach(tasks, body);
        }
    }

    /** Splits {@code [0, n)} into about {@code threads × 4} ranges of at least {@code minPerTask} and runs them. */
    public void forRanges(int n, int minPerTask, RangeBody body) {
        int tasks = Math.max(1, Math.min(threads * 4, n / Math.max(1, minPerTask)));
        if (tasks == 1) {
            body.run(0, n);
            return;
        }
        forEach(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }

    /** A contiguous range {@code [from, to)} of a parallel loop. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private void work() {
        Job seen = null;
        while (!closed) {
            Job j = job;
            if (j == seen) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while ((j = job) == seen && !closed && System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
                if (j == seen) {
                    LockSupport.park(this);
                    continue;
                }
            }
            seen = j;
            j.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
