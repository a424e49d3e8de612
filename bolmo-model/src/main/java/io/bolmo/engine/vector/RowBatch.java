package io.bolmo.engine.vector;

import io.bolmo.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a Java-engine batch: sequences of one engine in joining order. A step computes only the rows that
 * advance (a held row is not touched at all, so it keeps its state exactly) and hands back null for the others.
 *
 * @param <S> the engine's sequence type
 */
abstract class RowBatch<S extends RowBatch.Row> implements Engine.Batch {

    /** A sequence that knows the batch it is a row of (a sequence joins one batch, once). */
    abstract static class Row implements Engine.Sequence {
        RowBatch<?> batch;

        @Override
        public void close() {
            if (batch != null) {
                batch.rows.remove(this);
                batch = null;
            }
        }
    }

    private final Class<S> type;
    final List<S> rows = new ArrayList<>();

    RowBatch(Class<S> type) {
        this.type = type;
    }

    /** Logits {@code [n][V]} of the n advancing rows, each fed its unit and subword row. */
    abstract float[][] step(List<S> advancing, int[] units, int[] subwordRows);

    @Override
    public void join(Engine.Sequence sequence) {
        if (!type.isInstance(sequence)) {
            throw new IllegalArgumentException("a sequence of another engine cannot join this Java engine batch");
        }
        S s = type.cast(sequence);
        if (s.batch != null) {
            throw new IllegalStateException("the sequence is already a row of a batch");
        }
        s.batch = this;
        rows.add(s);
    }

    @Override
    public void leave(Engine.Sequence sequence) {
        if (!rows.remove(sequence)) {
            throw new IllegalArgumentException("the sequence is not a row of this batch");
        }
        ((Row) sequence).batch = null;
    }

    @Override
    public float[][] step(int[] units, int[] subwordRows, boolean[] advance) {
        int b = rows.size();
        if (units.length != b || advance.length != b || (subwordRows != null && subwordRows.length != b)) {
            throw new IllegalArgumentException("units = " + units.length + ", subword rows = "
                    + (subwordRows == null ? "null" : subwordRows.length) + ", advance = " + advance.length
                    + " for a batch of " + b + " rows");
        }
        List<S> moving = new ArrayList<>(b);
        int n = 0;
        for (boolean a : advance) {
            n += a ? 1 : 0;
        }
        int[] u = new int[n];
        int[] sub = new int[n];
        for (int i = 0, j = 0; i < b; i++) {
            if (advance[i]) {
                moving.add(rows.get(i));
                u[j] = units[i];
                sub[j++] = subwordRows == null ? 0 : subwordRows[i];
            }
        }
        float[][] out = new float[b][];
        if (n > 0) {
            float[][] logits = step(moving, u, sub);
            for (int i = 0, j = 0; i < b; i++) {
                out[i] = advance[i] ? logits[j++] : null;
            }
        }
        return out;
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void close() {
        rows.forEach(r -> r.batch = null);
        rows.clear();
    }
}
