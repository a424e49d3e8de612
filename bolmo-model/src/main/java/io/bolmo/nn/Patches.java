package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.DataType;

/**
 * The patch structure of a batch, from the boundary mask β {@code [B, L]} (β_t = 1: byte t ends a patch): where
 * each patch ends (for pooling) and which patch each byte reads (for depooling, model.md §5.3:
 * {@code k(t) = clip(cumsum(β)_t − 1, 0, P − 1)}, the latest <em>completed</em> patch).
 */
public final class Patches {

    private final boolean[][] mask;
    private final int[] counts;
    private final int maxPatches;

    private Patches(boolean[][] mask) {
        this.mask = mask;
        this.counts = new int[mask.length];
        int max = 1;
        for (int b = 0; b < mask.length; b++) {
            for (boolean end : mask[b]) {
                counts[b] += end ? 1 : 0;
            }
            max = Math.max(max, counts[b]);
        }
        this.maxPatches = max;
    }

    public static Patches of(boolean[][] mask) {
        return new Patches(mask);
    }

    /** From a boolean or 0/1 mask {@code [B, L]} (read to the host). */
    public static Patches of(NDArray mask) {
        long b = mask.getShape().get(0);
        int l = (int) mask.getShape().get(1);
        boolean[] flat = mask.toType(DataType.BOOLEAN, false).toBooleanArray();
        boolean[][] rows = new boolean[(int) b][l];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * l, rows[i], 0, l);
        }
        return new Patches(rows);
    }

    /** Gather index {@code [B, P, d]} of each patch's last byte; rows with fewer patches repeat their last one. */
    NDArray endIndex(NDManager manager, long d) {
        long[][] ends = new long[mask.length][maxPatches];
        for (int b = 0; b < mask.length; b++) {
            int p = 0;
            for (int t = 0; t < mask[b].length; t++) {
                if (mask[b][t]) {
                    ends[b][p++] = t;
                }
            }
            for (; p < maxPatches; p++) {
                ends[b][p] = p == 0 ? 0 : ends[b][p - 1];
            }
        }
        return broadcastIndex(manager, ends, d);
    }

    /** Gather index {@code [B, L, d]} of the patch each byte reads, k(t). */
    NDArray byteToPatchIndex(NDManager manager, long d) {
        long[][] k = new long[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            k[b] = new long[mask[b].length];
            int seen = 0;
            for (int t = 0; t < mask[b].length; t++) {
                seen += mask[b][t] ? 1 : 0;
                k[b][t] = Math.max(0, Math.min(seen - 1, maxPatches - 1));
            }
        }
        return broadcastIndex(manager, k, d);
    }

    public int count(int row) {
        return counts[row];
    }

    public int maxPatches() {
        return maxPatches;
    }

    public boolean[][] mask() {
        return mask;
    }

    /** Positions t with β_t = 1 in one row. */
    public int[] ends(int row) {
        int[] out = new int[counts[row]];
        int p = 0;
        for (int t = 0; t < mask[row].length; t++) {
            if (mask[row][t]) {
                out[p++] = t;
            }
        }
        return out;
    }

    /** {@code rows} [B][n] as a gather index [B, n, d] (every column of a row gathers the same position). */
    private static NDArray broadcastIndex(NDManager manager, long[][] rows, long d) {
        int b = rows.length;
        int n = rows[0].length;
        long[] flat = new long[b * n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, flat, i * n, n);
        }
        return manager.create(flat, new Shape(b, n, 1)).repeat(2, d);
    }
}
