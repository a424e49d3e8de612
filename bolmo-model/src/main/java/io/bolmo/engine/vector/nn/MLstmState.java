package io.bolmo.engine.vector.nn;

/**
 * Recurrent state of one mLSTM layer for one sequence (model.md §3.2): C {@code [NH, DHQK, DHV]}, n {@code [NH, DHQK]},
 * m {@code [NH]}, all zero at the start. Updated in place by {@link MLstmLayer#forward}.
 */
public final class MLstmState {

    final float[] c;
    final float[] n;
    final float[] m;

    MLstmState(int heads, int dhqk, int dhv) {
        this.c = new float[heads * dhqk * dhv];
        this.n = new float[heads * dhqk];
        this.m = new float[heads];
    }

    private MLstmState(float[] c, float[] n, float[] m) {
        this.c = c;
        this.n = n;
        this.m = m;
    }

    /** An independent copy (to look one byte ahead without advancing this state). */
    public MLstmState copy() {
        return new MLstmState(c.clone(), n.clone(), m.clone());
    }

    /** Floats held. */
    public long size() {
        return (long) c.length + n.length + m.length;
    }
}
