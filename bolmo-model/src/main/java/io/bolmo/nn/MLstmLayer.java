package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The xLSTM-large mLSTM layer exactly as Bolmo uses it (model.md §3.2): single weight mode, no
 * projection biases, soft-capped (15) input and forget gates, exponential input gate with a max stabiliser,
 * normaliser state, per-head LayerNorm and a sigmoid output gate.
 *
 * <p>Two forms that compute the same function: {@link #forward} over a whole sequence (a quadratic, parallel form
 * with the same stabiliser as the recurrence, so that even the {@code ε} term agrees) and {@link #step} for one
 * position given the recurrent {@link State}.
 *
 * <p>Shapes: x {@code [B, S, d]}; per head NH: q, k {@code [B, NH, S, DHQK]} (DHQK = d/2/NH), v
 * {@code [B, NH, S, DHV]} (DHV = d/NH); gates {@code [B, NH, S]}; state C {@code [B, NH, DHQK, DHV]}, n
 * {@code [B, NH, DHQK]}, m {@code [B, NH]}.
 */
public final class MLstmLayer {

    static final float GATE_SOFT_CAP = 15f;
    static final float NORMALISER_EPS = 1e-6f;
    static final float HEAD_NORM_EPS = 1e-6f;
    /** Positions per chunk of the whole-sequence form (the reference's inference chunk size). */
    static final int CHUNK = 64;

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear outputGate;
    private final Linear inputGate;
    private final Linear forgetGate;
    private final NDArray headNormWeight;
    private final Linear out;
    private final int heads;
    private final int dhqk;
    private final int dhv;

    /** Recurrent state of one layer for a batch of sequences; immutable, each step returns a new one. */
    public record State(NDArray c, NDArray n, NDArray m) implements AutoCloseable {

        /** C = 0, n = 0, m = 0 (the reference's initial state). */
        public static State zeros(NDManager manager, long batch, int heads, int dhqk, int dhv) {
            return new State(manager.zeros(new Shape(batch, heads, dhqk, dhv)),
                    manager.zeros(new Shape(batch, heads, dhqk)), manager.zeros(new Shape(batch, heads)));
        }

        @Override
        public void close() {
            c.close();
            n.close();
            m.close();
        }
    }

    /** Output of a whole-sequence pass together with the state after its last position. */
    public record Output(NDArray y, State state) {}

    private MLstmLayer(Weights w, String prefix, int d, int heads) {
        int qk = d / 2;
        this.q = Linear.take(w, prefix + ".q", qk, d, false);
        this.k = Linear.take(w, prefix + ".k", qk, d, false);
        this.v = Linear.take(w, prefix + ".v", d, d, false);
        this.outputGate = Linear.take(w, prefix + ".ogate_preact", d, d, false);
        this.inputGate = Linear.take(w, prefix + ".igate_preact", heads, d, true);
        this.forgetGate = Linear.take(w, prefix + ".fgate_preact", heads, d, true);
        this.headNormWeight = w.take(prefix + ".multihead_norm.weight", d);
        this.out = Linear.take(w, prefix + ".out_proj", d, d, false);
        this.heads = heads;
        this.dhqk = qk / heads;
        this.dhv = d / heads;
    }

    public static MLstmLayer take(Weights w, String prefix, int d, int heads) {
        return new MLstmLayer(w, prefix, d, heads);
    }

    /** Whole sequence from the zero state: {@code [B, S, d]} → {@code [B, S, d]}. */
    public NDArray forward(NDArray x) {
        return forward(x, false).y();
    }

    /** Whole sequence from the zero state; with {@code keepState} also the state after the last position. */
    public Output forward(NDArray x, boolean keepState) {
        return forward(x, null, keepState);
    }

    /**
     * Whole sequence continuing from {@code initial} (null = the zero state). The sequence is processed in chunks
     * of {@value #CHUNK} positions: each chunk in the parallel form, seeded with the state left by the previous
     * one, so memory grows linearly with the length (the chunkwise kernel of the reference, with the recurrence's
     * own stabiliser).
     */
    public Output forward(NDArray x, State initial, boolean keepState) {
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        NDArray qh = Scalars.div(splitHeads(q.forward(x), b, s, dhqk), Math.sqrt(dhqk));
        NDArray kh = splitHeads(k.forward(x), b, s, dhqk);
        NDArray vh = splitHeads(v.forward(x), b, s, dhv);
        NDArray ig = softCap(inputGate.forward(x)).transpose(0, 2, 1); // [B, NH, S]
        NDArray lf = logSigmoid(softCap(forgetGate.forward(x))).transpose(0, 2, 1);

        State state = initial != null ? initial : zeroState(x.getManager(), b);
        NDList chunks = new NDList();
        for (long start = 0; start < s; start += CHUNK) {
            String span = ":, :, " + start + ":" + Math.min(s, start + CHUNK);
            Output o = chunk(qh.get(span), kh.get(span), vh.get(span), ig.get(span), lf.get(span), state);
            chunks.add(o.y());
            state = o.state();
        }
        NDArray h = chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(chunks, 2);
        NDArray y = project(x, h.transpose(0, 2, 1, 3)); // heads back to [B, S, NH, DHV]
        return new Output(y, keepState ? state : null);
    }

    /**
     * One chunk of S_c positions given the state before it: returns h̃ {@code [B, NH, S_c, DHV]} (before the head
     * norm) and the state after it. With F_t = Σ_{l ≤ t} log f_l inside the chunk, the recurrence unrolls to
     * {@code m_t = max(F_t + m_prev, max_j (F_t − F_j + ĩ_j))} and weights {@code e^{F_t − F_j + ĩ_j − m_t}} for the
     * chunk's keys and {@code e^{F_t + m_prev − m_t}} for the carried state, exactly as stepping would.
     */
    private Output chunk(NDArray qh, NDArray kh, NDArray vh, NDArray ig, NDArray lf, State prev) {
        long sc = qh.getShape().get(2);
        // log decays as differences of cumulative sums, taken in float64 so long decays keep their small terms
        NDArray cum = lf.toType(DataType.FLOAT64, false).cumSum(2);
        NDArray segment = cum.expandDims(3).sub(cum.expandDims(2)).toType(DataType.FLOAT32, false);
        NDArray logD = segment.add(ig.expandDims(2)).add(causalBias(qh.getManager(), sc)); // [B, NH, t, j]
        NDArray logCarry = cum.toType(DataType.FLOAT32, false).add(prev.m().expandDims(2)); // [B, NH, t]
        NDArray m = logD.max(new int[] {3}).maximum(logCarry);
        NDArray decay = logD.sub(m.expandDims(3)).exp();
        NDArray carry = logCarry.sub(m).exp();

        NDArray weights = qh.matMul(kh.transpose(0, 1, 3, 2)).mul(decay); // [B, NH, S_c, S_c]
        NDArray numerator = weights.matMul(vh).add(qh.matMul(prev.c()).mul(carry.expandDims(3)));
        NDArray qn = weights.sum(new int[] {3}).add(qh.matMul(prev.n().expandDims(3)).squeeze(3).mul(carry));
        NDArray denominator = qn.abs().maximum(m.neg().exp()).add(NORMALISER_EPS);
        NDArray h = numerator.div(denominator.expandDims(3));

        NDArray lastDecay = decay.get(new NDIndex(":, :, -1, :")); // weight of each key j at the chunk's end
        NDArray lastCarry = carry.get(new NDIndex(":, :, -1"));
        NDArray weightedK = kh.mul(lastDecay.expandDims(3));
        NDArray c = weightedK.transpose(0, 1, 3, 2).matMul(vh).add(prev.c().mul(lastCarry.expandDims(2).expandDims(3)));
        NDArray n = weightedK.sum(new int[] {2}).add(prev.n().mul(lastCarry.expandDims(2)));
        return new Output(h, new State(c, n, m.get(new NDIndex(":, :, -1"))));
    }

    /** One position: x {@code [B, d]} and the previous state → y {@code [B, d]} and the next state. */
    public Output step(NDArray x, State prev) {
        long b = x.getShape().get(0);
        NDArray qh = Scalars.div(q.forward(x).reshape(b, heads, dhqk), Math.sqrt(dhqk));
        NDArray kh = k.forward(x).reshape(b, heads, dhqk);
        NDArray vh = v.forward(x).reshape(b, heads, dhv);
        NDArray ig = softCap(inputGate.forward(x)); // [B, NH]
        NDArray lf = logSigmoid(softCap(forgetGate.forward(x)));

        NDArray m = lf.add(prev.m()).maximum(ig);
        NDArray fa = lf.add(prev.m()).sub(m).exp();
        NDArray ia = ig.sub(m).exp();
        NDArray kv = kh.expandDims(3).mul(vh.expandDims(2)); // [B, NH, DHQK, DHV]
        NDArray c = prev.c().mul(fa.reshape(b, heads, 1, 1)).add(kv.mul(ia.reshape(b, heads, 1, 1)));
        NDArray n = prev.n().mul(fa.expandDims(2)).add(kh.mul(ia.expandDims(2)));

        NDArray numerator = qh.expandDims(2).matMul(c).squeeze(2); // [B, NH, DHV]
        NDArray qn = qh.mul(n).sum(new int[] {2});
        NDArray denominator = qn.abs().maximum(m.neg().exp()).add(NORMALISER_EPS);
        NDArray h = numerator.div(denominator.expandDims(2)); // [B, NH, DHV]
        NDArray y = project(x, h);
        return new Output(y, new State(c, n, m));
    }

    public State zeroState(NDManager manager, long batch) {
        return State.zeros(manager, batch, heads, dhqk, dhv);
    }

    /** Per-head LayerNorm (float32, biased variance, weight only), output gate, out projection. */
    private NDArray project(NDArray x, NDArray h) {
        NDArray centred = h.sub(h.mean(new int[] {-1}, true));
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        NDArray normed = centred.div(variance.add(HEAD_NORM_EPS).sqrt());
        NDArray flat = normed.reshape(x.getShape()).mul(headNormWeight);
        return out.forward(Activation.sigmoid(outputGate.forward(x)).mul(flat));
    }

    private NDArray splitHeads(NDArray t, long b, long s, int headDim) {
        return t.reshape(b, s, heads, headDim).transpose(0, 2, 1, 3);
    }

    private static NDArray softCap(NDArray t) {
        return Scalars.mul(Scalars.div(t, GATE_SOFT_CAP).tanh(), GATE_SOFT_CAP);
    }

    /** log σ(x) = min(x, 0) − log(1 + e^{−|x|}), stable for large |x|. */
    static NDArray logSigmoid(NDArray t) {
        return Scalars.minimum(t, 0).sub(t.abs().neg().exp().add(1f).log());
    }

    /** [S, S] additive mask: 0 where key j ≤ query t, −10³⁰ elsewhere (e^(−10³⁰) = 0, and no ∞·0 = NaN). */
    static NDArray causalBias(NDManager manager, long s) {
        NDArray idx = manager.arange(0, (int) s, 1, DataType.INT32);
        return maskToBias(idx.expandDims(0).lte(idx.expandDims(1)));
    }

    /** Boolean "allowed" → additive 0 / −10³⁰ (DJL's where does not broadcast). */
    static NDArray maskToBias(NDArray allowed) {
        return Scalars.mul(allowed.toType(DataType.FLOAT32, false).sub(1f), 1e30);
    }

    public int heads() {
        return heads;
    }

    public int dhqk() {
        return dhqk;
    }

    public int dhv() {
        return dhv;
    }
}
