package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Vectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of one attention layer for one sequence, position by position, in pages of {@value #PAGE}
 * positions, so that growing never copies and memory grows linearly with the sequence. A sliding-window layer drops
 * the pages no future query can see ({@link #trim}). Each position holds {@code width} = KV heads × head dim
 * floats of key and of value. Keys are stored by column within a page ({@code [width][PAGE]}), so that a query's
 * scores against a whole page are vector multiply-adds with no reduction ({@link #scorePage}); values by row
 * ({@code [PAGE][width]}), so that the weighted sum adds whole rows.
 */
public final class KvCache {

    static final int PAGE = 64;

    private final int width;
    private final int window; // 0 = full attention
    private final List<float[]> keys = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();
    private int firstPage; // absolute index of keys.get(0)
    private int length;    // positions appended so far

    KvCache(int width, int window) {
        this.width = width;
        this.window = window;
    }

    /** Appends the next position's key and value ({@code width} floats each). */
    void append(float[] k, int ko, float[] v, int vo) {
        int slot = length % PAGE;
        if (slot == 0) {
            keys.add(new float[PAGE * width]);
            values.add(new float[PAGE * width]);
        }
        float[] page = keys.get(keys.size() - 1);
        for (int j = 0; j < width; j++) {
            page[j * PAGE + slot] = k[ko + j];
        }
        System.arraycopy(v, vo, values.get(values.size() - 1), slot * width, width);
        length++;
    }

    /** Positions appended so far (the position of the next one). */
    public int length() {
        return length;
    }

    /** The first position a query at {@code position} may attend to. */
    int firstVisible(int position) {
        return window > 0 ? Math.max(0, position - window + 1) : 0;
    }

    /**
     * {@code out[s]} = query · key of position {@code pageStart + s} for the {@value #PAGE} slots of the page that
     * starts at {@code pageStart} (slots not yet written score 0), over dimensions {@code [from, from + dims)}.
     */
    void scorePage(int pageStart, float[] q, int qo, int from, int dims, float[] out) {
        Vectors.dotColumns(q, qo, keys.get(pageStart / PAGE - firstPage), from * PAGE, PAGE, dims, out, PAGE);
    }

    float[] valuePage(int position) {
        return values.get(position / PAGE - firstPage);
    }

    int offset(int position) {
        return position % PAGE * width;
    }

    /** Drops the pages that no query at {@link #length} or later can see (sliding-window layers only). */
    void trim() {
        if (window <= 0) {
            return;
        }
        int keepFrom = firstVisible(length) / PAGE;
        while (firstPage < keepFrom && keys.size() > 1) {
            keys.remove(0);
            values.remove(0);
            firstPage++;
        }
    }

    /** Bytes held by keys and values. */
    public long bytes() {
        return 2L * keys.size() * PAGE * width * Float.BYTES;
    }
}
