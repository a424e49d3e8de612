package io.bolmo.generate;

import io.bolmo.engine.Engine;
import io.bolmo.engine.Prompts;
import io.bolmo.tokenize.SubwordSuffixTrie;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous batching for Bolmo: many generations decoded together, one byte each per step, on one scheduler
 * thread. Decoding reads every weight once per step whatever the batch, so on a memory-bound CPU a step for B
 * sequences costs far less than B steps (docs/benchmarks.md, "Continuous batching").
 *
 * <p>A step: every active generation is checked (cancelled, limit reached: it leaves at once, before the step, so
 * its slot is free within one step), then one {@link Engine.Batch#step} feeds every remaining row its last byte —
 * local encoder, decoder and LM head batched over all rows, the global model only on the rows whose byte ended a
 * patch, each with its own KV cache and patch position — and each row's {@link DecodeLoop} chooses its next byte
 * with its own {@link Sampler}, stop sequences, byte limit and listener, exactly as {@link BolmoGenerator} does
 * alone. Between steps new generations run their prefill and join (up to {@link Options#maxBatch}); the excess
 * waits in a bounded queue or is rejected. A generation that fails (its listener throws, a bad prompt) ends alone;
 * the others go on.
 *
 * <p>Listeners are called on the scheduler thread: they must be quick (a slow {@code onText} slows every row).
 * A long prompt's prefill runs between two steps, so it delays the other rows by its duration; it runs in chunks
 * and stops between two of them when its generation is cancelled or the scheduler closes.
 */
public final class BolmoScheduler implements Generator, AutoCloseable {

    /**
     * @param maxBatch      the most generations decoded in one step (the batch size)
     * @param queueCapacity submissions that may wait for a slot; beyond {@code maxBatch + queueCapacity} a
     *                      submission is rejected at once
     * @param holdSteps     0 (default): no row ever waits. K &gt; 0: a row whose next byte ends a patch may wait up
     *                      to K steps for others to reach a boundary too, so the global model runs on more rows at
     *                      once (fewer, fuller global steps: throughput for latency). A held row simply does not
     *                      advance, so every output stays the same.
     */
    public record Options(int maxBatch, int queueCapacity, int holdSteps) {

        public Options {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch = " + maxBatch
                        + " is invalid: must be >= 1 (the most generations decoded together)");
            }
            if (queueCapacity < 0) {
                throw new IllegalArgumentException("queueCapacity = " + queueCapacity
                        + " is invalid: must be >= 0 (0 = reject when every slot is busy)");
            }
            if (holdSteps < 0) {
                throw new IllegalArgumentException("holdSteps = " + holdSteps
                        + " is invalid: must be >= 0 (0 = a row at a patch boundary never waits)");
            }
        }

        /** No holding. */
        public Options(int maxBatch, int queueCapacity) {
            this(maxBatch, queueCapacity, 0);
        }

        /** {@code maxBatch} slots and no queue: the excess is rejected, as a bulkhead does. */
        public static Options of(int maxBatch) {
            return new Options(maxBatch, 0, 0);
        }
    }

    private final Engine engine;
    private final SubwordSuffixTrie trie;
    private final Options options;
    private final Object lock = new Object();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>(); // guarded by lock
    private int admitted; // waiting + active, guarded by lock
    private boolean closed; // guarded by lock
    private volatile boolean closing; // read by a running prefill
    private final List<Row> rows = new ArrayList<>(); // scheduler thread only
    private Engine.Batch batch; // scheduler thread only
    private volatile int activeRows;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong heldRowSteps = new AtomicLong();
    private final Thread thread;

    /** @param trie the retained-subword trie; null for a model without retained subword embeddings */
    public BolmoScheduler(Engine engine, SubwordSuffixTrie trie, Options options) {
        this.engine = engine;
        this.trie = trie;
        this.options = options;
        this.batch = engine.newBatch();
        this.thread = new Thread(this::run, "bolmo-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    /** One submission: what to generate and where the result goes. */
    private record Request(int[] prompt, GenerationOptions options, GenerationListener listener,
            CompletableFuture<GenerationResult> result) {}

    /** An active generation: a row of the batch. */
    private static final class Row {
        final Request request;
        final Generation generation;
        int held; // steps waited at a patch boundary (holdSteps)

        Row(Request request, Generation generation) {
            this.request = request;
            this.generation = generation;
        }

        Request request() {
            return request;
        }

        Generation generation() {
            return generation;
        }

        /** The byte it feeds next ends a patch: feeding it runs the global model for this row. */
        boolean atBoundary() {
            return ByteUnits.endsPatch(generation.loop().pending());
        }
    }

    /**
     * Queues a generation after {@code promptIds} (BOS first, plain byte ids). The future completes when it stops
     * (or fails, alone); cancelling the future, like {@link GenerationListener#isCancelled}, ends it before the
     * next step with {@link FinishReason#CANCELLED}.
     *
     * @throws RejectedExecutionException when {@code maxBatch} generations run and the queue is full
     * @throws IllegalArgumentException   for a prompt without BOS first
     */
    public CompletableFuture<GenerationResult> submit(int[] promptIds, GenerationOptions options,
            GenerationListener listener) {
        Prompts.checkBytes(promptIds);
        if (options == null) {
            throw new IllegalArgumentException("options = null is invalid: pass GenerationOptions (e.g. greedy(n))");
        }
        CompletableFuture<GenerationResult> result = new CompletableFuture<>();
        Request request = new Request(promptIds.clone(), options,
                cancelledAlsoBy(result, listener == null ? GenerationListener.NONE : listener), result);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the scheduler is closed");
            }
            if (admitted >= this.options.maxBatch() + this.options.queueCapacity()) {
                throw new RejectedExecutionException("all " + this.options.maxBatch() + " slots (maxBatch) are busy"
                        + " and the queue (queueCapacity = " + this.options.queueCapacity() + ") is full; retry"
                        + " when a generation has ended, or raise maxBatch/queueCapacity");
            }
            admitted++;
            waiting.add(request);
            lock.notifyAll();
        }
        return result;
    }

    /** {@link #submit} and wait; interrupting the caller cancels the generation. */
    @Override
    public GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener) {
        CompletableFuture<GenerationResult> result = submit(promptIds, options, listener);
        return Generations.await(result, () -> result.cancel(false));
    }

    /** Generations in the batch now (decoded in the next step). */
    public int active() {
        return activeRows;
    }

    /** Generations accepted and not ended: active, being prefilled, or waiting for a slot. */
    public int admitted() {
        synchronized (lock) {
            return admitted;
        }
    }

    /** Batched decoding steps taken so far. */
    public long steps() {
        return steps.get();
    }

    /** Steps that rows spent held at a patch boundary ({@link Options#holdSteps}), summed over rows. */
    public long heldRowSteps() {
        return heldRowSteps.get();
    }

    public Options options() {
        return options;
    }

    private void run() {
        Throwable fatal = null;
        try {
            while (awaitWork()) {
                admit();
                if (!rows.isEmpty()) {
                    step();
                }
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            throw e;
        } finally {
            shutDown(fatal);
        }
    }

    /** Blocks until there is something to do; false once closed. */
    private boolean awaitWork() {
        synchronized (lock) {
            while (!closed && rows.isEmpty() && waiting.isEmpty()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    closed = true;
                }
            }
            return !closed;
        }
    }

    /** Prefills waiting generations into free slots; each joins the batch for the next step. */
    private void admit() {
        while (rows.size() < options.maxBatch()) {
            Request r;
            synchronized (lock) {
                r = waiting.poll();
            }
            if (r == null) {
                return;
            }
            start(r);
        }
    }

    private void start(Request r) {
        Generation g = null;
        try {
            if (r.listener().isCancelled()) { // no prefill for a generation nobody waits for any more
                release(r, new GenerationResult("", r.prompt().length - 1, 0, 0, 0, FinishReason.CANCELLED, 0, 0),
                        null);
                return;
            }
            g = new Generation(engine, new ByteUnits(trie, r.options()), r.prompt(), r.options(),
                    r.listener(), () -> closing || r.listener().isCancelled());
            if (g.outcome() != null) {
                end(new Row(r, g), g.outcome(), null, false);
                return;
            }
            batch.join(g.sequence());
            rows.add(new Row(r, g));
            activeRows = rows.size();
        } catch (RuntimeException e) {
            if (g != null) {
                g.close();
            }
            release(r, null, e);
        }
    }

    /** One byte for every row; rows that stop leave before the step (cancelled, limit) or right after it. */
    private void step() {
        for (Row row : List.copyOf(rows)) {
            DecodeLoop.Outcome o;
            try {
                o = row.generation().loop().check();
            } catch (RuntimeException e) {
                end(row, null, e, true);
                continue;
            }
            if (o != null) {
                end(row, o, null, true);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        List<Row> stepped = List.copyOf(rows);
        boolean[] advance = advancing(stepped);
        int[] units = new int[stepped.size()];
        int[] rowsOfSubwords = new int[stepped.size()];
        for (int i = 0; i < units.length; i++) {
            units[i] = stepped.get(i).generation().loop().pending();
            rowsOfSubwords[i] = advance[i] ? stepped.get(i).generation().pendingRow() : 0;
        }
        float[][] logits;
        try {
            logits = batch.step(units, rowsOfSubwords, advance);
        } catch (RuntimeException e) {
            failBatch(e); // the stacked state is no longer consistent: every row of it ends
            return;
        } finally {
            steps.incrementAndGet();
        }
        for (int i = 0; i < stepped.size(); i++) {
            Row row = stepped.get(i);
            if (!advance[i]) {
                continue;
            }
            DecodeLoop.Outcome o;
            try {
                o = row.generation().loop().accept(logits[i]);
            } catch (RuntimeException e) {
                end(row, null, e, true);
                continue;
            }
            if (o != null) {
                end(row, o, null, true);
            }
        }
    }

    /**
     * Which rows move this step. With {@code holdSteps} K, rows at a patch boundary wait while others are not at
     * one, until one of them has waited K steps; then all move together and share one global step.
     */
    private boolean[] advancing(List<Row> stepped) {
        boolean[] advance = new boolean[stepped.size()];
        Arrays.fill(advance, true);
        int waiting = 0;
        int oldest = 0;
        for (Row r : stepped) {
            if (r.atBoundary()) {
                waiting++;
                oldest = Math.max(oldest, r.held);
            }
        }
        if (waiting == 0 || waiting == stepped.size() || oldest >= options.holdSteps()) {
            stepped.forEach(r -> r.held = 0);
            return advance;
        }
        for (int i = 0; i < stepped.size(); i++) {
            if (stepped.get(i).atBoundary()) {
                advance[i] = false;
                stepped.get(i).held++;
                heldRowSteps.incrementAndGet();
            }
        }
        return advance;
    }

    /** A row stops: out of the batch, its native state freed, its result (or error) delivered, its slot free. */
    private void end(Row row, DecodeLoop.Outcome outcome, Throwable error, boolean inBatch) {
        GenerationResult result = null;
        try {
            if (inBatch) {
                batch.leave(row.generation().sequence());
                rows.remove(row);
                activeRows = rows.size();
            }
            if (error == null) {
                result = row.generation().finish(outcome); // releases held-back text: the listener may throw
            }
        } catch (RuntimeException e) {
            error = e;
        } finally {
            row.generation().close();
        }
        release(row.request(), result, error);
    }

    private void release(Request r, GenerationResult result, Throwable error) {
        synchronized (lock) {
            admitted--;
        }
        if (error != null) {
            r.result().completeExceptionally(error);
        } else {
            r.result().complete(result);
        }
    }

    private void failBatch(RuntimeException error) {
        List<Row> failed = List.copyOf(rows);
        rows.clear();
        activeRows = 0;
        batch.close();
        batch = engine.newBatch();
        for (Row row : failed) {
            row.generation().close();
            release(row.request(), null, error);
        }
    }

    /** Ends everything still here when the thread stops (closed, or a fatal error). */
    private void shutDown(Throwable fatal) {
        RuntimeException error = fatal == null ? new CancellationException("the scheduler was closed")
                : new IllegalStateException("the scheduler stopped: " + fatal, fatal);
        List<Request> queued;
        synchronized (lock) {
            closed = true;
            queued = List.copyOf(waiting);
            waiting.clear();
        }
        queued.forEach(r -> release(r, null, error));
        failBatch(error);
        batch.close();
    }

    /** Stops the scheduler: running and waiting generations end with a {@link CancellationException}. */
    @Override
    public void close() {
        closing = true;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The caller's listener, also cancelled by cancelling the future. */
    private static GenerationListener cancelledAlsoBy(CompletableFuture<?> result, GenerationListener listener) {
        return new GenerationListener() {
            @Override
            public void onText(String piece) {
                listener.onText(piece);
            }

            @Override
            public void onStep(int fusedId) {
                listener.onStep(fusedId);
            }

            @Override
            public boolean isCancelled() {
                return result.isCancelled() || listener.isCancelled();
            }
        };
    }
}
