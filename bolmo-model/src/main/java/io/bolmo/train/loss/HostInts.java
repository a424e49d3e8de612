package io.bolmo.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Host copies of small integer tensors [B, N]; label and index construction is discrete, so no autograd is lost. */
final class HostInts {

    private HostInts() {
    }

    static int[][] rows(NDArray a) {
        Shape s = a.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("expected a [B, N] tensor, got " + s);
        }
        int b = (int) s.get(0);
        int n = (int) s.get(1);
        int[] flat = a.toType(DataType.INT32, false).toIntArray();
        int[][] out = new int[b][n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * n, out[i], 0, n);
        }
        return out;
    }

    static NDArray create(NDManager manager, int[][] rows) {
        int b = rows.length;
        int n = b == 0 ? 0 : rows[0].length;
        int[] flat = new int[b * n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, flat, i * n, n);
        }
        return manager.create(flat, new Shape(b, n));
    }

    static NDArray createFloat(NDManager manager, int[][] rows) {
        return create(manager, rows).toType(DataType.FLOAT32, false);
    }

    static int count(int[][] rows) {
        int c = 0;
        for (int[] r : rows) {
            for (int v : r) {
                c += v != 0 ? 1 : 0;
            }
        }
        return c;
    }
}
