package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.bolmo.engine.Engine;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.OlmoModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Subword sequences on DJL that advance together, one token each per {@link #step}: embeddings, projections, MLPs
 * and the LM head run once over the advancing rows, attention per row at its own position against its own cache
 * ({@link io.bolmo.nn.GlobalTransformer#step}). Not thread-safe: one thread drives a batch.
 */
final class DjlOlmoBatch implements Engine.Batch {

    private final OlmoModel model;
    private final NDManager manager;
    private final List<DjlOlmoSequence> rows = new ArrayList<>();

    DjlOlmoBatch(OlmoModel model, NDManager parent) {
        this.model = model;
        this.manager = parent.newSubManager();
    }

    @Override
    public void join(Engine.Sequence sequence) {
        if (!(sequence instanceof DjlOlmoSequence seq)) {
            throw new IllegalArgumentException("a DJL subword batch takes sequences of the DJL subword engine, not "
                    + sequence.getClass().getName());
        }
        seq.joined();
        rows.add(seq);
    }

    @Override
    public void leave(Engine.Sequence sequence) {
        if (!rows.remove(sequence)) {
            throw new IllegalArgumentException("the sequence is not a row of this batch");
        }
    }

    /** Feeds {@code tokens[i]} to each advancing row i; subword rows are not used by a subword model. */
    @Override
    public float[][] step(int[] tokens, int[] subwordRows, boolean[] advance) {
        int b = rows.size();
        if (tokens.length != b || advance.length != b) {
            throw new IllegalArgumentException("tokens = " + tokens.length + ", advance = " + advance.length
                    + " for a batch of " + b + " rows");
        }
        List<Integer> moving = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            if (advance[i]) {
                DjlOlmoEngine.checkToken(model, tokens[i]);
                moving.add(i);
            }
        }
        float[][] logits = new float[b][];
        if (moving.isEmpty()) {
            return logits;
        }
        int n = moving.size();
        long[] positions = new long[n];
        List<List<KvCache>> caches = new ArrayList<>(n);
        int[] fed = new int[n];
        for (int j = 0; j < n; j++) {
            DjlOlmoSequence seq = rows.get(moving.get(j));
            positions[j] = seq.position();
            caches.add(seq.caches());
            fed[j] = tokens[moving.get(j)];
        }
        try (NDScope scope = new NDScope()) {
            NDArray x = model.embed(manager.create(fed)); // [N, d]
            NDArray out = model.lmHead().forward(model.blocks().step(x, positions, caches)); // [N, V]
            float[] flat = out.toFloatArray();
            int v = flat.length / n;
            for (int j = 0; j < n; j++) {
                logits[moving.get(j)] = Arrays.copyOfRange(flat, j * v, (j + 1) * v);
                rows.get(moving.get(j)).advanced();
            }
        }
        return logits;
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void close() {
        rows.clear();
        manager.close();
    }
}
