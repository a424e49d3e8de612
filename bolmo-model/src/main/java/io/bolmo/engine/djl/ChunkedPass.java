package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.BoundaryPredictor;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.MLstmLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Bolmo over a prompt a chunk of bytes at a time, every state carried across chunk borders, so memory grows
 * linearly with the prompt (model.md §8.1 step 1, chunked; issue 15): the local encoder continues its mLSTM states;
 * byte t's boundary needs h_{t+1} (model.md §4.1), so the last byte of a chunk waits for the next chunk's first;
 * the patches a chunk completes go through the global model against the KV caches (queries of the new patches
 * only, no [P, P] matrix for the whole prompt); depooling and the local decoder continue in the same way. The
 * arithmetic is that of the whole-sequence pass ({@link BolmoModel#forward}) regrouped, equal to float32
 * summation order (ChunkedPrefillTest).
 *
 * <p>Per chunk of n bytes: h {@code [1, n, d]}; ℓ, β for the decided positions; z, g {@code [1, k, d]} for the k
 * patches they end; u, decoder output {@code [1, n, d]}. Carried: encoder/decoder states, KV caches, the pending
 * byte's h {@code [1, 1, d]} and last_value = RMSNorm_init(g) of the latest patch {@code [1, d]}.
 */
final class ChunkedPass {

    private final BolmoModel model;
    private final NDManager owner; // where the carried state lives between chunks
    private final List<KvCache> caches;
    private final boolean everyPosition; // score: logits and h of every position; prefill: logits of the last
    private List<MLstmLayer.State> encoder;
    private List<MLstmLayer.State> decoder;
    private NDArray lastValue;
    private NDArray pending; // h of the last encoded byte, whose decision waits for the next byte
    private long patches;
    private boolean[] boundaries;
    private float[] logProbs;
    private float[] logits; // [V] of the last position, or [n, V] with everyPosition
    private float[] hidden; // [n, d] with everyPosition

    ChunkedPass(BolmoModel model, NDManager owner, List<KvCache> caches, boolean everyPosition) {
        this.model = model;
        this.owner = owner;
        this.caches = caches;
        this.everyPosition = everyPosition;
    }

    /**
     * Runs bytes {@code ids[0..n)}. When {@code n < ids.length}, {@code ids[n]} is the lookahead of byte n−1 (the
     * rolled-back byte of a prefill: only its encoder output is used); otherwise byte n−1 has no lookahead and
     * never ends a patch (ℓ = −100000), as in a whole-sequence pass. Byte 0 (BOS) always ends patch 0 (ℓ_0 = 0).
     *
     * @throws CancellationException when {@code cancelled} says so before a chunk
     */
    void run(int[] ids, int[] rows, int n, int chunk, BooleanSupplier cancelled) {
        boundaries = new boolean[n];
        logProbs = new float[n];
        int vocab = model.config().vocabSize();
        int d = model.config().hiddenSize();
        if (everyPosition) {
            logits = new float[Math.multiplyExact(n, vocab)];
            hidden = new float[Math.multiplyExact(n, d)];
        }
        for (int s = 0; s < n; s += chunk) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("prefill cancelled after " + s + " of " + n + " bytes");
            }
            chunk(ids, rows, s, Math.min(n, s + chunk), n);
        }
    }

    private void chunk(int[] ids, int[] rows, int s, int e, int n) {
        boolean last = e == n;
        try (NDScope scope = new NDScope()) {
            List<MLstmLayer.State> next = new ArrayList<>();
            NDArray h = model.encoder().forward(row(ids, s, e), row(rows, s, e), encoder, next); // [1, e-s, d]
            encoder = Owned.keep(next, encoder, owner);
            NDArray all = pending == null ? h : NDArrays.concat(new NDList(pending, h), 1); // bytes [first, e)
            int first = pending == null ? s : s - 1;
            int decidedEnd = last ? e : e - 1; // the last byte of a chunk waits for its lookahead
            if (decidedEnd > first) { // nothing is decided yet after a first chunk of one byte
                decided(all, first, decidedEnd, last && n < ids.length ? lookahead(ids, rows, n) : null);
            }
            pending = last ? Owned.drop(pending) : Owned.keep(all.get(new NDIndex(":, -1:")).duplicate(), pending,
                    owner);
        }
    }

    /** Decides bytes {@code [first, end)} of {@code all} (h of bytes {@code [first, ...)}) and runs them on. */
    private void decided(NDArray all, int first, int end, NDArray look) {
        boolean last = end - first == all.getShape().get(1);
        float[] lp = logProbs(all, first, end, look);
        NDArray decided = last ? all : all.get(new NDIndex(":, :-1"));
        NDArray out = decide(first, decided, lp);
        if (everyPosition) {
            System.arraycopy(model.lmHead().forward(out).toFloatArray(), 0, logits, first * vocab(),
                    (end - first) * vocab());
            System.arraycopy(decided.toFloatArray(), 0, hidden, first * width(), (end - first) * width());
        } else if (last) {
            logits = model.lmHead().forward(out.get(new NDIndex(":, -1"))).toFloatArray();
        }
    }

    /** h of the rolled-back byte {@code ids[n]}: one encoder step from the state after byte n−1 (not kept). */
    private NDArray lookahead(int[] ids, int[] rows, int n) {
        NDArray id = owner.create(new int[] {ids[n]}, new Shape(1));
        NDArray sub = owner.create(new int[] {rows[n]}, new Shape(1));
        return model.encoder().step(id, sub, new ArrayList<>(encoder)).expandDims(1); // [1, 1, d]
    }

    /**
     * ℓ of bytes {@code [first, end)} from {@code all} = h of bytes {@code [first, first + len)}: each byte's
     * lookahead is the next byte of {@code all}, or {@code look} for the very last; ℓ_0 = 0.
     */
    private float[] logProbs(NDArray all, int first, int end, NDArray look) {
        int len = (int) all.getShape().get(1);
        float[] lp = new float[end - first];
        if (len > 1) {
            float[] pairs = model.boundaryPredictor().logProbs(all.get(new NDIndex(":, :-1")),
                    all.get(new NDIndex(":, 1:"))).toFloatArray(); // bytes [first, first + len − 1)
            System.arraycopy(pairs, 0, lp, 0, Math.min(pairs.length, lp.length));
        }
        if (end - first == len) { // the very last byte of the pass
            lp[len - 1] = look == null ? BoundaryPredictor.NEVER
                    : model.boundaryPredictor().logProbs(all.get(new NDIndex(":, -1:")), look).getFloat(0, 0);
        }
        if (first == 0) {
            lp[0] = 0f; // BOS always ends patch 0 (lp is never empty here)
        }
        return lp;
    }

    /**
     * Bytes {@code [first, first + m)} with h {@code [1, m, d]} and ℓ decided: their patches through the global
     * model, then depooling and the decoder. Returns the decoder output {@code [1, m, d]}.
     */
    private NDArray decide(int first, NDArray h, float[] lp) {
        int m = lp.length;
        int[] read = new int[m]; // which value byte i reads: 0 = last_value, j = the j-th patch ended here
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            logProbs[first + i] = lp[i];
            boundaries[first + i] = lp[i] > BoundaryPredictor.LOG_HALF;
            if (boundaries[first + i]) {
                ends.add((long) i);
            }
            read[i] = ends.size();
        }
        NDManager manager = h.getManager();
        NDArray table = lastValue == null ? null : lastValue.expandDims(1); // [1, 1 + k, d] below
        if (!ends.isEmpty()) {
            NDArray endIndex = manager.create(ends.stream().mapToLong(Long::longValue).toArray());
            NDArray z = model.pooling().project(h.get(new NDIndex(":, {}", endIndex))); // [1, k, d]
            NDArray values = model.depooling().normGlobal(model.global().forward(z, patches, caches));
            patches += ends.size();
            if (table == null) { // only before patch 0 ends, which BOS always does: read as the reference's clip
                table = values.get(new NDIndex(":, :1"));
            }
            table = NDArrays.concat(new NDList(table, values), 1);
            lastValue = Owned.keep(values.get(new NDIndex(":, -1")).duplicate(), lastValue, owner);
        }
        NDArray perByte = table.get(new NDIndex(":, {}", manager.create(Arrays.stream(read).asLongStream()
                .toArray()))); // [1, m, d]
        List<MLstmLayer.State> next = new ArrayList<>();
        NDArray out = model.decoder().forward(model.depooling().step(h, perByte), decoder, next);
        decoder = Owned.keep(next, decoder, owner);
        return out;
    }

    private NDArray row(int[] ids, int from, int to) {
        return owner.create(Arrays.copyOfRange(ids, from, to), new Shape(1, to - from));
    }

    private int vocab() {
        return model.config().vocabSize();
    }

    private int width() {
        return model.config().hiddenSize();
    }

    List<MLstmLayer.State> encoderStates() {
        return encoder;
    }

    List<MLstmLayer.State> decoderStates() {
        return decoder;
    }

    NDArray lastValue() {
        return lastValue;
    }

    long patches() {
        return patches;
    }

    boolean[] boundaries() {
        return boundaries;
    }

    float[] logProbs() {
        return logProbs;
    }

    float[] logits() {
        return logits;
    }

    float[] hidden() {
        return hidden;
    }
}
