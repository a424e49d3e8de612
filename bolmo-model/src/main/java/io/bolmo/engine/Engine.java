package io.bolmo.engine;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * One loaded model on one engine (DJL/PyTorch, or the Java Vector API engine): everything generation and scoring
 * ask of a model. Generation ({@code io.bolmo.generate}) talks only to this interface, so one decode loop runs on
 * either engine.
 *
 * <p>Units are what the model reads: for Bolmo plain byte ids (BOS = 1, byte b = b + 4) fed as fused ids (+ 260 =
 * "this byte ends a patch"), each with its retained-subword embedding row (model.md §2.2); for the subword Olmo model
 * token ids (subword rows are ignored and may be null).
 *
 * <p>Thread-safety: {@link #prefill} and {@link #score} may be called from many threads at once (each call has its
 * own state); a {@link Batch} and the sequences in it are driven by one thread at a time.
 */
public interface Engine extends AutoCloseable {

    /**
     * Runs a prompt and returns its decoding state, in chunks of a bounded number of units (so memory grows
     * linearly with the prompt), checking {@code cancelled} between chunks.
     *
     * <p>Bolmo: {@code ids} are plain byte ids with BOS first and {@code subwordRows} the embedding row of each. For
     * a prompt of two or more ids the last one is rolled back (model.md §4.4, §8.1): its boundary needs one byte of
     * lookahead that does not exist yet, so the state's {@link Sequence#logits()} are those of the forced decision
     * on it (to be restricted to {x_last, x_last + 260}), and the caller feeds it again with that decision as the
     * first step. Its encoder state gives the lookahead of the byte before it. A lone BOS is not rolled back.
     * Subword model: the logits after the last token.
     *
     * @throws CancellationException when {@code cancelled} said so between two chunks; nothing is kept
     * @throws IllegalArgumentException for a prompt the model cannot read (no BOS first, an id out of range)
     */
    Sequence prefill(int[] ids, int[] subwordRows, BooleanSupplier cancelled);

    /** An empty batch that prefilled sequences of this engine join. */
    Batch newBatch();

    /**
     * One whole-sequence pass with the predictor's own boundaries ({@code sample:0}, no rollback: the last
     * position has no lookahead and never ends a patch): what evaluation and {@code bolmo forward} need.
     */
    Scores score(int[] ids, int[] subwordRows);

    /** Parameters of the model (all tensors' elements). */
    long parameterCount();

    /** Where it runs (never {@code auto}). */
    DeviceSpec device();

    /** One line for logs and reports, e.g. {@code djl cpu() f32}. */
    String describe();

    /** Frees the model's weights and native memory; sequences and batches must be closed before. */
    @Override
    void close();

    /** The decoding state of one sequence: its prompt's outcome, then what each step adds. Close it when done. */
    interface Sequence extends AutoCloseable {

        /** The logits that decide the first generated unit (see {@link Engine#prefill}), {@code [V]}. */
        float[] logits();

        /** Positions the global model has seen so far: patches for Bolmo (one global step each), tokens otherwise. */
        long patches();

        /**
         * The prompt's boundary decisions (β_t: byte t ends a patch) for the ids the prefill kept (all but the
         * rolled-back last one; the lone BOS of a one-id prompt); empty for a subword model.
         */
        boolean[] promptBoundaries();

        /** ℓ_t, the boundary log-probabilities behind {@link #promptBoundaries()} (ℓ_0 = 0); empty for a subword model. */
        float[] promptBoundaryLogProbs();

        @Override
        void close();
    }

    /**
     * Sequences that advance together, one unit each per {@link #step} (continuous batching). A sequence alone is a
     * batch of one. Closing a batch does not close its sequences (their owners do).
     */
    interface Batch extends AutoCloseable {

        /** Adds a prefilled sequence of this engine as the last row. A sequence joins one batch, once. */
        void join(Sequence sequence);

        /** Removes a sequence's row (its decoding is over, or it failed). */
        void leave(Sequence sequence);

        /**
         * Feeds {@code units[i]} with its subword row {@code subwordRows[i]} to row i (rows in joining order) and
         * returns each row's logits for its next unit, {@code [B][V]}. Only rows with {@code advance[i]} move; a
         * held row keeps its state exactly and gets null logits. For Bolmo the global model runs only on the
         * advancing rows whose fed fused id ends a patch, each at its own patch position.
         */
        float[][] step(int[] units, int[] subwordRows, boolean[] advance);

        /** Rows in the batch. */
        int size();

        @Override
        void close();
    }
}
