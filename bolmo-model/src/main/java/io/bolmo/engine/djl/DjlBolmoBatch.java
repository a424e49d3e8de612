package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.MLstmLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Bolmo sequences on DJL that advance together, one byte each per {@link #step} (model.md §8.1 step 4, batched): the
 * local encoder, depooling, local decoder and LM head run once over all B rows, their mLSTM states stacked as
 * {@code [B, ...]}; the global model runs only on the N rows whose fed byte ends a patch, each at its own patch
 * position against its own KV cache ({@link io.bolmo.nn.GlobalTransformer#step}). Unlike the reference's lockstep
 * batching no row ever waits for another to reach a boundary.
 *
 * <p>The stacked states change shape only when a row {@link #join joins} or {@link #leave leaves}, so a step in a
 * steady batch pays no gather or split. A single sequence decodes as a batch of one. Not thread-safe: one thread
 * drives a batch.
 */
final class DjlBolmoBatch implements Engine.Batch {

    private final BolmoModel model;
    private final NDManager manager;
    private final List<DjlBolmoSequence> rows = new ArrayList<>();
    // per layer: C [B, NH, DHQK, DHV], n [B, NH, DHQK], m [B, NH]; row i is rows.get(i); null while empty
    private List<MLstmLayer.State> encoderStates;
    private List<MLstmLayer.State> decoderStates;

    DjlBolmoBatch(BolmoModel model, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
    }

    /** Adds a prefilled sequence as the last row; its local states move into the batch. */
    @Override
    public void join(Engine.Sequence sequence) {
        DjlBolmoSequence seq = own(sequence);
        List<List<MLstmLayer.State>> states = seq.takeLocalStates();
        try (NDScope scope = new NDScope()) {
            encoderStates = Owned.keep(append(encoderStates, states.get(0)), encoderStates, manager);
            decoderStates = Owned.keep(append(decoderStates, states.get(1)), decoderStates, manager);
        } finally {
            states.forEach(layers -> layers.forEach(MLstmLayer.State::close));
        }
        rows.add(seq);
    }

    /** Drops {@code seq}'s row (its decoding is over; the sequence itself stays open for its owner to close). */
    @Override
    public void leave(Engine.Sequence seq) {
        int row = rows.indexOf(seq);
        if (row < 0) {
            throw new IllegalArgumentException("the sequence is not a row of this batch");
        }
        rows.remove(row);
        if (rows.isEmpty()) {
            closeStates();
            return;
        }
        try (NDScope scope = new NDScope()) {
            encoderStates = Owned.keep(without(encoderStates, row), encoderStates, manager);
            decoderStates = Owned.keep(without(decoderStates, row), decoderStates, manager);
        }
    }

    /**
     * Feeds {@code fused[i]} (its flag says whether that byte ends a patch) with its subword row to row i and
     * returns each row's logits for the next byte, {@code [B][FUSED_VOCAB]}. Only the rows with {@code advance[i]}
     * move; the others keep their state exactly (their logits are null). The local models still compute every row
     * (one batched call either way) and the held rows' results are discarded; held rows take no global step.
     */
    @Override
    public float[][] step(int[] fused, int[] subwordRows, boolean[] advance) {
        int b = rows.size();
        if (fused.length != b || subwordRows.length != b || advance.length != b) {
            throw new IllegalArgumentException("fused ids = " + fused.length + ", subword rows = "
                    + subwordRows.length + ", advance = " + advance.length + " for a batch of " + b + " rows");
        }
        int[] plain = new int[b];
        int[] sub = new int[b];
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            boolean endsPatch = fused[i] >= BolmoConfig.PLAIN_VOCAB;
            plain[i] = endsPatch ? fused[i] - BolmoConfig.PLAIN_VOCAB : fused[i];
            sub[i] = advance[i] ? subwordRows[i] : 0;
            if (endsPatch && advance[i]) {
                ends.add(i);
            }
        }
        try (NDScope scope = new NDScope()) {
            NDArray held = anyHeld(advance) ? manager.create(advance) : null; // [B] boolean: true = advances
            List<MLstmLayer.State> enc = new ArrayList<>(encoderStates);
            NDArray h = model.encoder().step(vector(plain), vector(sub), enc); // [B, d]
            encoderStates = Owned.keep(select(held, enc, encoderStates), encoderStates, manager);
            if (!ends.isEmpty()) {
                globalStep(h, ends);
            }
            NDArray values = rowsOf(DjlBolmoSequence::lastValue); // [B, d]
            List<MLstmLayer.State> dec = new ArrayList<>(decoderStates);
            NDArray out = model.decoder().step(model.depooling().step(h, values), dec);
            decoderStates = Owned.keep(select(held, dec, decoderStates), decoderStates, manager);
            float[][] logits = split(model.lmHead().forward(out).toFloatArray(), b); // [B, V]
            for (int i = 0; i < b; i++) {
                logits[i] = advance[i] ? logits[i] : null;
            }
            return logits;
        }
    }

    /** New states where the row advances, the old ones where it is held ({@code advance} null: all advance). */
    private static List<MLstmLayer.State> select(NDArray advance, List<MLstmLayer.State> next,
            List<MLstmLayer.State> old) {
        if (advance == null) {
            return next;
        }
        List<MLstmLayer.State> out = new ArrayList<>(next.size());
        for (int l = 0; l < next.size(); l++) {
            MLstmLayer.State n = next.get(l);
            MLstmLayer.State o = old.get(l);
            out.add(new MLstmLayer.State(pick(advance, n.c(), o.c()), pick(advance, n.n(), o.n()),
                    pick(advance, n.m(), o.m())));
        }
        return out;
    }

    /** Row-wise choice: {@code advance} {@code [B]} spread over {@code [B, ...]} (DJL's where does not broadcast). */
    private static NDArray pick(NDArray advance, NDArray next, NDArray old) {
        Shape shape = next.getShape();
        long[] rowShape = new long[shape.dimension()];
        Arrays.fill(rowShape, 1);
        rowShape[0] = shape.get(0);
        return NDArrays.where(advance.reshape(new Shape(rowShape)).broadcast(shape), next, old);
    }

    private static boolean anyHeld(boolean[] advance) {
        for (boolean a : advance) {
            if (!a) {
                return true;
            }
        }
        return false;
    }

    /** The global model on the rows whose fed byte ends a patch: each gets a new last_value. */
    private void globalStep(NDArray h, List<Integer> ends) {
        int n = ends.size();
        long[] positions = new long[n];
        List<List<KvCache>> caches = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            DjlBolmoSequence seq = rows.get(ends.get(j));
            positions[j] = seq.patches();
            caches.add(seq.caches());
        }
        NDArray endStates = n == rows.size() ? h : h.get(new NDIndex("{}", longs(ends))); // [N, d]
        NDArray g = model.global().step(model.pooling().project(endStates), positions, caches); // [N, d]
        NDArray values = model.depooling().normGlobal(g);
        for (int j = 0; j < n; j++) {
            rows.get(ends.get(j)).patchEnded(n == 1 ? values : values.get(new NDIndex(j + ":" + (j + 1))));
        }
    }

    /** Rows' {@code [1, ...]} arrays stacked to {@code [B, ...]}. */
    private NDArray rowsOf(Function<DjlBolmoSequence, NDArray> part) {
        if (rows.size() == 1) {
            return part.apply(rows.get(0));
        }
        NDList list = new NDList(rows.size());
        rows.forEach(r -> list.add(part.apply(r)));
        return NDArrays.concat(list, 0);
    }

    /** The batch's states with one more row at the end (or the row's own, for the first). */
    private static List<MLstmLayer.State> append(List<MLstmLayer.State> batch, List<MLstmLayer.State> row) {
        List<MLstmLayer.State> out = new ArrayList<>(row.size());
        for (int l = 0; l < row.size(); l++) {
            MLstmLayer.State r = row.get(l);
            out.add(batch == null ? new MLstmLayer.State(r.c().duplicate(), r.n().duplicate(), r.m().duplicate())
                    : new MLstmLayer.State(cat(batch.get(l).c(), r.c()), cat(batch.get(l).n(), r.n()),
                            cat(batch.get(l).m(), r.m())));
        }
        return out;
    }

    /** The batch's states without row {@code row}. */
    private static List<MLstmLayer.State> without(List<MLstmLayer.State> batch, int row) {
        List<MLstmLayer.State> out = new ArrayList<>(batch.size());
        for (MLstmLayer.State s : batch) {
            out.add(new MLstmLayer.State(drop(s.c(), row), drop(s.n(), row), drop(s.m(), row)));
        }
        return out;
    }

    private static NDArray cat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), 0);
    }

    private static NDArray drop(NDArray a, int row) {
        long b = a.getShape().get(0);
        if (row == 0) {
            return a.get(new NDIndex("1:")).duplicate();
        }
        if (row == b - 1) {
            return a.get(new NDIndex(":" + row)).duplicate();
        }
        return cat(a.get(new NDIndex(":" + row)), a.get(new NDIndex((row + 1) + ":")));
    }

    private NDArray vector(int[] ids) {
        return manager.create(ids, new Shape(ids.length));
    }

    private NDArray longs(List<Integer> ids) {
        return manager.create(ids.stream().mapToLong(Integer::longValue).toArray());
    }

    private static float[][] split(float[] flat, int b) {
        int width = flat.length / b;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    @Override
    public int size() {
        return rows.size();
    }

    private static DjlBolmoSequence own(Engine.Sequence sequence) {
        if (sequence instanceof DjlBolmoSequence s) {
            return s;
        }
        throw new IllegalArgumentException("a DJL Bolmo batch takes sequences of the DJL Bolmo engine, not "
                + sequence.getClass().getName());
    }

    private void closeStates() {
        if (encoderStates != null) {
            encoderStates.forEach(MLstmLayer.State::close);
            decoderStates.forEach(MLstmLayer.State::close);
        }
        encoderStates = null;
        decoderStates = null;
    }

    @Override
    public void close() {
        closeStates();
        rows.clear();
        manager.close();
    }
}
