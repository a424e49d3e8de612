package io.bolmo.engine.vector;

import io.bolmo.engine.Prompts;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.BolmoModel;
import io.bolmo.engine.vector.nn.BolmoState;
import io.bolmo.engine.vector.tensor.Parallel;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Bolmo on the Java engine ({@link BolmoModel} over Vector API kernels, weights in f32, bf16, q8_0 or q4_0). Prefill and
 * scoring feed {@link #prefillChunk()} bytes at a time; a {@link Batch} advances its rows one byte each per step,
 * rows held back not computed at all.
 */
public final class VectorBolmoEngine extends VectorEngine {

    private final BolmoModel model;

    VectorBolmoEngine(BolmoModel model, Parallel threads, WeightFormat format, Inventory inventory, int chunk) {
        super(threads, format, inventory, chunk);
        this.model = model;
    }

    /** The same model with another prefill chunk (benchmarks, tests); shares weights and threads. */
    public VectorBolmoEngine withPrefillChunk(int bytes) {
        return new VectorBolmoEngine(model, threads, format, inventory, bytes);
    }

    @Override
    public Sequence prefill(int[] ids, int[] subwordRows, BooleanSupplier cancelled) {
        checkPrompt(ids, subwordRows);
        BolmoState s = model.newState();
        boolean rollBack = ids.length > 1;
        BolmoModel.Pass p = model.run(s, ids, subwordRows, rollBack ? ids.length - 1 : 1, rollBack, false, false,
                chunk, cancelled);
        return new VectorSequence(s, p.logits()[0], p.boundaries(), p.boundaryLogProbs());
    }

    @Override
    public Batch newBatch() {
        return new VectorBatch();
    }

    @Override
    public Scores score(int[] ids, int[] subwordRows) {
        checkPrompt(ids, subwordRows);
        return scores(ids, model.run(model.newState(), ids, subwordRows, ids.length, false, true, true, chunk,
                () -> false));
    }

    private Scores scores(int[] ids, BolmoModel.Pass p) {
        int vocab = model.config().vocabSize();
        float[] logits = new float[ids.length * vocab];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(p.logits()[t], 0, logits, t * vocab, vocab);
        }
        return new Scores(ids.length, vocab, logits, p.boundaryLogProbs(), p.boundaries(), model.config().hiddenSize(),
                p.trace().encoderStates());
    }

    /** {@link #score} with the patches given by {@code boundaries} (β per byte) instead of the predictor's own. */
    public Scores score(int[] ids, int[] subwordRows, boolean[] boundaries) {
        checkPrompt(ids, subwordRows);
        if (boundaries.length != ids.length) {
            throw new IllegalArgumentException(boundaries.length + " boundaries for " + ids.length + " ids");
        }
        return scores(ids, model.run(model.newState(), ids, subwordRows, ids.length, false, true, true, chunk,
                () -> false, boundaries));
    }

    /** The whole-sequence pass with its intermediates (patch embeddings, global outputs), for parity checks. */
    public BolmoModel.Pass trace(int[] ids, int[] subwordRows) {
        checkPrompt(ids, subwordRows);
        return model.run(model.newState(), ids, subwordRows, ids.length, false, true, true, chunk, () -> false);
    }

    /** A prompt is plain byte ids with BOS first ({@link Prompts}), one subword row each. */
    static void checkPrompt(int[] ids, int[] rows) {
        Prompts.checkBytes(ids);
        if (rows == null || rows.length != ids.length) {
            throw new IllegalArgumentException("subword rows = " + (rows == null ? "null" : rows.length)
                    + " for " + ids.length + " ids: one row per id is needed");
        }
    }

    /**
     * Seconds to multiply every weight matrix whose name {@code matrices} accepts with {@code batch} input rows
     * (best of {@code repeats}): the matrix products of a decoding step alone, without the recurrence, attention
     * or anything else, for the batching ceiling of the bench.
     */
    public double productSeconds(java.util.function.Predicate<String> matrices, int batch, int repeats) {
        double best = Double.MAX_VALUE;
        java.util.Random random = new java.util.Random(batch);
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            for (var e : inventory.matrices().entrySet()) {
                if (matrices.test(e.getKey())) {
                    io.bolmo.engine.vector.tensor.Matrix m = e.getValue();
                    float[] x = new float[batch * m.cols()];
                    for (int i = 0; i < x.length; i += 97) {
                        x[i] = (float) random.nextGaussian();
                    }
                    m.multiply(x, batch, new float[batch * m.rows()], threads);
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    public BolmoModel model() {
        return model;
    }

    /** One sequence: its state and what its prefill decided. */
    private static final class VectorSequence extends RowBatch.Row {
        final BolmoState state;
        private final float[] logits;
        private final boolean[] boundaries;
        private final float[] logProbs;

        VectorSequence(BolmoState state, float[] logits, boolean[] boundaries, float[] logProbs) {
            this.state = state;
            this.logits = logits;
            this.boundaries = boundaries;
            this.logProbs = logProbs;
        }

        @Override
        public float[] logits() {
            return logits;
        }

        @Override
        public long patches() {
            return state.patches();
        }

        @Override
        public boolean[] promptBoundaries() {
            return boundaries.clone();
        }

        @Override
        public float[] promptBoundaryLogProbs() {
            return logProbs.clone();
        }
    }

    private final class VectorBatch extends RowBatch<VectorSequence> {
        VectorBatch() {
            super(VectorSequence.class);
        }

        @Override
        float[][] step(List<VectorSequence> advancing, int[] units, int[] subwordRows) {
            BolmoState[] states = new BolmoState[advancing.size()];
            for (int i = 0; i < states.length; i++) {
                states[i] = advancing.get(i).state;
            }
            return model.step(states, units, subwordRows);
        }
    }
}
