package io.bolmo.engine.vector.nn;

import io.bolmo.config.BolmoConfig;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Bolmo as the Java engine computes it (model.md §1): bytes → {@link LocalEncoder} → {@link BoundaryPredictor} →
 * {@link PatchPooling} → {@link GlobalTransformer} over patches → {@link Depooling} → {@link LocalDecoder} →
 * {@link LmHead} over the fused byte/boundary space. Weights are taken by their Hugging Face names (model.md §9.3).
 *
 * <p>Two ways through it: {@link #run} feeds the bytes of one sequence in chunks of bounded size (prefill and the
 * whole-sequence pass that scoring uses), and {@link #step} advances many sequences by one byte each (continuous
 * batching). Both go through the same components; only how rows map to states differs.
 */
public final class BolmoModel {

    private final BolmoConfig config;
    private final LocalEncoder encoder;
    private final BoundaryPredictor boundaryPredictor;
    private final PatchPooling pooling;
    private final GlobalTransformer global;
    private final Depooling depooling;
    private final LocalDecoder decoder;
    private final LmHead lmHead;
    private final int d;

    public BolmoModel(BolmoConfig config, Tensors t) {
        BolmoShapes s = BolmoShapes.of(config);
        this.config = config;
        this.d = s.d();
        this.encoder = new LocalEncoder(t, s);
        this.pooling = new PatchPooling(t, d);
        this.boundaryPredictor = new BoundaryPredictor(t, d);
        this.global = new GlobalTransformer(t, config.global());
        this.decoder = new LocalDecoder(t, s);
        this.depooling = new Depooling(t, s);
        this.lmHead = new LmHead(t, d, s.vocab(), s.rmsNormEps());
    }

    public BolmoConfig config() {
        return config;
    }

    /** The zero state of a new sequence. */
    public BolmoState newState() {
        return new BolmoState(encoder.newStates(), decoder.newStates(), global.newCaches(), d);
    }

    /** What {@link #run} computed: per byte fed, ℓ and β, and the logits asked for. */
    public record Pass(float[] boundaryLogProbs, boolean[] boundaries, float[][] logits, Trace trace) {}

    /** Intermediates of a whole-sequence pass (for parity tests): h {@code [n, d]}, z and g {@code [P, d]}. */
    public record Trace(float[] encoderStates, float[] patchEmbeddings, float[] globalOutput) {}

    /**
     * Feeds {@code ids[0 … n)} (with their subword rows) to a fresh sequence {@code s}, {@code chunk} bytes at a time
     * through the encoder and the resulting patches through the global model, so memory grows with the chunk and the
     * KV cache only. A byte's boundary needs the next byte's encoder state, so each chunk decides the bytes up to
     * its second-to-last and the decoder follows one byte behind the encoder.
     *
     * <p>The last byte's lookahead: {@code lookahead = true} encodes {@code ids[n]} on a copy of the encoder states
     * (the prompt's rolled-back byte, model.md §4.4: it is fed again when decoding starts); {@code false} gives it ℓ =
     * −100000 (never a boundary), as the whole-sequence forward does. Byte 0 (BOS) always ends patch 0.
     *
     * @param allLogits logits of every byte (scoring) or only of the last (prefill)
     * @param cancelled checked between chunks; true throws {@link CancellationException}
     */
    public Pass run(BolmoState s, int[] ids, int[] subwordRows, int n, boolean lookahead, boolean allLogits,
            boolean trace, int chunk, BooleanSupplier cancelled) {
        return run(s, ids, subwordRows, n, lookahead, allLogits, trace, chunk, cancelled, null);
    }

    /**
     * As {@link #run(BolmoState, int[], int[], int, boolean, boolean, boolean, int, BooleanSupplier)}, with the
     * patches given by {@code fixed} (β per byte) instead of the predictor's decisions, whose ℓ is still computed:
     * to compare weight formats on the same patching (analysis; decoding never fixes boundaries).
     */
    public Pass run(BolmoState s, int[] ids, int[] subwordRows, int n, boolean lookahead, boolean allLogits,
            boolean trace, int chunk, BooleanSupplier cancelled, boolean[] fixed) {
        if (n < 1 || n > ids.length - (lookahead ? 1 : 0) || subwordRows.length < ids.length) {
            throw new IllegalArgumentException("n = " + n + " bytes of " + ids.length + " ids ("
                    + subwordRows.length + " subword rows), lookahead " + lookahead);
        }
        Pending pass = new Pending(s, n, allLogits, trace, fixed);
        float[] carried = null; // encoder state of the last byte of the previous chunk, undecided
        for (int start = 0; start < n; start += chunk) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("prefill cancelled after " + start + " of " + n + " bytes");
            }
            int end = Math.min(n, start + chunk);
            int c = end - start;
            float[] h = encoder.forward(Arrays.copyOfRange(ids, start, end), Arrays.copyOfRange(subwordRows, start,
                    end), c, repeat(s.encoder, c));
            pass.encoded(h, start, c);
            // decide bytes start−1 … end−2: each with its successor's state
            int first = carried == null ? start : start - 1;
            int m = end - 1 - first;
            if (m > 0) {
                float[] cur = new float[m * d];
                float[] next = new float[m * d];
                if (carried != null) {
                    System.arraycopy(carried, 0, cur, 0, d);
                    System.arraycopy(h, 0, cur, d, (m - 1) * d);
                } else {
                    System.arraycopy(h, 0, cur, 0, m * d);
                }
                System.arraycopy(h, carried == null ? d : 0, next, 0, m * d);
                pass.decode(cur, first, m, boundaryPredictor.logProbs(cur, next, m));
            }
            carried = Arrays.copyOfRange(h, (c - 1) * d, c * d);
        }
        float last;
        if (lookahead) {
            float[] hNext = encoder.forward(new int[] {ids[n]}, new int[] {subwordRows[n]}, 1,
                    new MLstmState[][] {copies(s.encoder)});
            last = boundaryPredictor.logProbs(carried, hNext, 1)[0];
        } else {
            last = BoundaryPredictor.NEVER;
        }
        pass.decode(carried, n - 1, 1, new float[] {last});
        return pass.result();
    }

    /** The bytes of one pass whose boundaries are decided: pooled, through the global model, then decoded. */
    private final class Pending {
        final BolmoState s;
        final int n;
        final float[] logProbs;
        final boolean[] boundaries;
        final float[][] logits;
        final boolean allLogits;
        final boolean[] fixed;
        final float[] encoderStates;
        final java.util.List<float[]> patchEmbeddings;
        final java.util.List<float[]> globalOutputs;

        Pending(BolmoState s, int n, boolean allLogits, boolean trace, boolean[] fixed) {
            this.s = s;
            this.n = n;
            this.logProbs = new float[n];
            this.boundaries = new boolean[n];
            this.logits = new float[allLogits ? n : 1][];
            this.allLogits = allLogits;
            this.fixed = fixed;
            this.encoderStates = trace ? new float[n * d] : null;
            this.patchEmbeddings = trace ? new java.util.ArrayList<>() : null;
            this.globalOutputs = trace ? new java.util.ArrayList<>() : null;
        }

        void encoded(float[] h, int start, int c) {
            if (encoderStates != null) {
                System.arraycopy(h, 0, encoderStates, start * d, c * d);
            }
        }

        /** Bytes {@code first … first+m−1} with encoder states {@code h} {@code [m, d]} and their ℓ. */
        void decode(float[] h, int first, int m, float[] lp) {
            int ends = 0;
            for (int i = 0; i < m; i++) {
                int t = first + i;
                logProbs[t] = t == 0 ? 0f : lp[i];
                boundaries[t] = fixed != null ? fixed[t] : BoundaryPredictor.decide(logProbs[t]);
                ends += boundaries[t] ? 1 : 0;
            }
            float[] values = null;
            if (ends > 0) {
                float[] endStates = new float[ends * d];
                int[] positions = new int[ends];
                for (int i = 0, j = 0; i < m; i++) {
                    if (boundaries[first + i]) {
                        System.arraycopy(h, i * d, endStates, j * d, d);
                        positions[j] = s.patches + j;
                        j++;
                    }
                }
                float[] z = pooling.project(endStates, ends);
                float[] g = global.forward(z, ends, positions, repeat(s.caches, ends));
                if (patchEmbeddings != null) {
                    patchEmbeddings.add(z);
                    globalOutputs.add(g);
                }
                values = depooling.normGlobal(g, ends);
                s.patches += ends;
            }
            float[] u = depooling.project(h, m);
            for (int i = 0, j = 0; i < m; i++) {
                if (boundaries[first + i]) {
                    s.lastValue = Arrays.copyOfRange(values, j * d, (j + 1) * d);
                    j++;
                }
                for (int k = 0; k < d; k++) {
                    u[i * d + k] += s.lastValue[k];
                }
            }
            float[] out = decoder.forward(u, m, repeat(s.decoder, m));
            if (allLogits) {
                float[] l = lmHead.forward(out, m);
                int v = lmHead.vocab();
                for (int i = 0; i < m; i++) {
                    logits[first + i] = Arrays.copyOfRange(l, i * v, (i + 1) * v);
                }
            } else if (first + m == n) {
                logits[0] = lmHead.forward(Arrays.copyOfRange(out, (m - 1) * d, m * d), 1);
            }
        }

        Pass result() {
            Trace t = encoderStates == null ? null
                    : new Trace(encoderStates, concat(patchEmbeddings), concat(globalOutputs));
            return new Pass(logProbs, boundaries, logits, t);
        }
    }

    /**
     * One byte for each of n sequences: row i feeds {@code fused[i]} (its flag says whether the byte ends a patch)
     * with subword row {@code subwordRows[i]} to {@code rows[i]}. The global model runs only on the rows whose byte
     * ends a patch, each at its own patch position against its own caches. Returns each row's logits {@code [n][V]}.
     */
    public float[][] step(BolmoState[] rows, int[] fused, int[] subwordRows) {
        int n = rows.length;
        int[] plain = new int[n];
        int ends = 0;
        for (int i = 0; i < n; i++) {
            boolean end = fused[i] >= BolmoConfig.PLAIN_VOCAB;
            plain[i] = end ? fused[i] - BolmoConfig.PLAIN_VOCAB : fused[i];
            ends += end ? 1 : 0;
        }
        MLstmState[][] enc = new MLstmState[n][];
        MLstmState[][] dec = new MLstmState[n][];
        for (int i = 0; i < n; i++) {
            enc[i] = rows[i].encoder;
            dec[i] = rows[i].decoder;
        }
        float[] h = encoder.forward(plain, subwordRows, n, enc);
        if (ends > 0) {
            float[] endStates = new float[ends * d];
            int[] positions = new int[ends];
            KvCache[][] caches = new KvCache[ends][];
            int[] which = new int[ends];
            for (int i = 0, j = 0; i < n; i++) {
                if (fused[i] >= BolmoConfig.PLAIN_VOCAB) {
                    System.arraycopy(h, i * d, endStates, j * d, d);
                    positions[j] = rows[i].patches;
                    caches[j] = rows[i].caches;
                    which[j++] = i;
                }
            }
            float[] g = global.forward(pooling.project(endStates, ends), ends, positions, caches);
            float[] values = depooling.normGlobal(g, ends);
            for (int j = 0; j < ends; j++) {
                BolmoState r = rows[which[j]];
                r.lastValue = Arrays.copyOfRange(values, j * d, (j + 1) * d);
                r.patches++;
            }
        }
        float[] u = depooling.project(h, n);
        for (int i = 0; i < n; i++) {
            float[] value = rows[i].lastValue;
            for (int k = 0; k < d; k++) {
                u[i * d + k] += value[k];
            }
        }
        float[] l = lmHead.forward(decoder.forward(u, n, dec), n);
        int v = lmHead.vocab();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(l, i * v, (i + 1) * v);
        }
        return out;
    }

    private static <T> T[] repeat(T value, int n) {
        @SuppressWarnings("unchecked")
        T[] a = (T[]) java.lang.reflect.Array.newInstance(value.getClass(), n);
        Arrays.fill(a, value);
        return a;
    }

    private static MLstmState[] copies(MLstmState[] states) {
        MLstmState[] c = new MLstmState[states.length];
        for (int i = 0; i < states.length; i++) {
            c[i] = states[i].copy();
        }
        return c;
    }

    private static float[] concat(java.util.List<float[]> parts) {
        int total = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[total];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
