package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Vectors;

/**
 * The xLSTM-large mLSTM layer as Bolmo uses it (model.md §3.2): projections q, k {@code [d/2, d]}, v, output gate, out
 * {@code [d, d]}, soft-capped (15) input and forget gates {@code [NH, d]} with biases, per-head LayerNorm.
 *
 * <p>One code path for decoding and prefill: {@link #forward} takes n rows and a state per row. Decoding passes n
 * different sequences; prefill passes n consecutive positions of one sequence (the same state n times), which the
 * recurrence then visits in order. The projections are one (blocked) product over all n rows; the recurrence runs
 * per head in parallel. The recurrence costs under 1 % of the multiply-adds of a local block (Bolmo-1B: 262 K per
 * byte against 34 M), so prefill uses it directly instead of the chunkwise-parallel form: same maths, same
 * stabiliser, and nothing quadratic in the chunk.
 */
final class MLstmLayer {

    static final float GATE_SOFT_CAP = 15f;
    static final float NORMALISER_EPS = 1e-6f;
    static final float HEAD_NORM_EPS = 1e-6f;

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear outputGate;
    private final Linear inputGate;
    private final Linear forgetGate;
    private final float[] headNorm;
    private final Linear out;
    private final int d;
    private final int heads;
    private final int dhqk;
    private final int dhv;
    private final Parallel threads;

    MLstmLayer(Tensors t, String prefix, int d, int heads) {
        int qk = d / 2;
        this.q = Linear.take(t, prefix + ".q", qk, d, false);
        this.k = Linear.take(t, prefix + ".k", qk, d, false);
        this.v = Linear.take(t, prefix + ".v", d, d, false);
        this.outputGate = Linear.take(t, prefix + ".ogate_preact", d, d, false);
        this.inputGate = Linear.takeF32(t, prefix + ".igate_preact", heads, d, true);
        this.forgetGate = Linear.takeF32(t, prefix + ".fgate_preact", heads, d, true);
        this.headNorm = t.vector(prefix + ".multihead_norm.weight", d);
        this.out = Linear.take(t, prefix + ".out_proj", d, d, false);
        this.d = d;
        this.heads = heads;
        this.dhqk = qk / heads;
        this.dhv = d / heads;
        this.threads = t.threads();
    }

    MLstmState newState() {
        return new MLstmState(heads, dhqk, dhv);
    }

    /** x {@code [n, d]}, row i advancing {@code states[i]} → y {@code [n, d]}. */
    float[] forward(float[] x, int n, MLstmState[] states) {
        float[] qs = q.forward(x, n);
        float[] ks = k.forward(x, n);
        float[] vs = v.forward(x, n);
        float[] ig = inputGate.forward(x, n); // [n, NH]
        float[] fg = forgetGate.forward(x, n);
        float[] h = new float[n * d]; // h̃ per head, then normed in place
        threads.forEach(heads, (long) n * heads * dhqk * dhv, head -> {
            float[] num = new float[dhv];
            for (int i = 0; i < n; i++) {
                recur(states[i], head, qs, ks, vs, i, ig[i * heads + head], fg[i * heads + head], h, num);
            }
        });
        float[] gate = outputGate.forward(x, n);
        for (int i = 0; i < n * d; i++) {
            h[i] *= 1f / (1f + (float) Math.exp(-gate[i]));
        }
        return out.forward(h, n);
    }

    /**
     * One position of one head: the stabilised exponential-gate recurrence, then the per-head LayerNorm (weight
     * only) written into {@code h[i, head]}.
     */
    private void recur(MLstmState s, int head, float[] qs, float[] ks, float[] vs, int i, float igPre, float fgPre,
            float[] h, float[] num) {
        int qk = d / 2;
        float inputGate = softCap(igPre);
        float logForget = logSigmoid(softCap(fgPre));
        float mPrev = s.m[head];
        float m = Math.max(logForget + mPrev, inputGate);
        float decay = (float) Math.exp(logForget + mPrev - m);
        float gain = (float) Math.exp(inputGate - m);
        float scale = (float) (1 / Math.sqrt(dhqk));
        int qo = i * qk + head * dhqk;
        int vo = i * d + head * dhv;
        int co = head * dhqk * dhv;
        int no = head * dhqk;
        java.util.Arrays.fill(num, 0f);
        float qn = 0;
        for (int a = 0; a < dhqk; a++) {
            float ka = ks[qo + a];
            float qa = qs[qo + a] * scale;
            int row = co + a * dhv;
            Vectors.decayAdd(decay, s.c, row, gain * ka, vs, vo, dhv); // C = f'C + i' k vᵀ
            Vectors.axpy(qa, s.c, row, num, 0, dhv);                   // Cᵀ q̂
            s.n[no + a] = decay * s.n[no + a] + gain * ka;
            qn += qa * s.n[no + a];
        }
        s.m[head] = m;
        float denominator = Math.max(Math.abs(qn), (float) Math.exp(-m)) + NORMALISER_EPS;
        float mean = 0;
        for (int j = 0; j < dhv; j++) {
            num[j] /= denominator;
            mean += num[j];
        }
        mean /= dhv;
        float variance = 0;
        for (int j = 0; j < dhv; j++) {
            float c = num[j] - mean;
            variance += c * c;
        }
        float inv = 1f / (float) Math.sqrt(variance / dhv + HEAD_NORM_EPS);
        for (int j = 0; j < dhv; j++) {
            h[vo + j] = (num[j] - mean) * inv * headNorm[head * dhv + j];
        }
    }

    private static float softCap(float x) {
        return GATE_SOFT_CAP * (float) Math.tanh(x / GATE_SOFT_CAP);
    }

    /** log σ(x) = min(x, 0) − log(1 + e^{−|x|}), stable for large |x|. */
    private static float logSigmoid(float x) {
        return Math.min(x, 0f) - (float) Math.log1p(Math.exp(-Math.abs(x)));
    }
}
