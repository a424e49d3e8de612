package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.bolmo.config.OlmoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The source model's transformer blocks ({@code model.layers.*}), with no token embedding and no LM head
 * (model.md §5.2). In Bolmo it runs over patch vectors with RoPE over patch indices; in the subword model over token
 * embeddings. z {@code [B, P, d]} → g {@code [B, P, d]}.
 */
public final class GlobalTransformer {

    private final List<OlmoBlock> blocks;
    private final OlmoConfig config;

    GlobalTransformer(Weights w, OlmoConfig c) {
        List<OlmoBlock> list = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            list.add(new OlmoBlock(w, "model.layers." + i, c, c.layerTypes().get(i)));
        }
        this.blocks = List.copyOf(list);
        this.config = c;
    }

    /** All blocks over positions {@code start …}; {@code caches} (one per layer) may be null. */
    public NDArray forward(NDArray x, long start, List<KvCache> caches) {
        return forward(x, start, caches, blocks.size(), null);
    }

    /**
     * The first {@code layers} blocks; {@code hidden} (when not null) receives the output of each of them (the
     * hidden state after block i, as the Stage 1 encoder loss and oracle patch representations need).
     */
    public NDArray forward(NDArray x, long start, List<KvCache> caches, int layers, List<NDArray> hidden) {
        if (layers < 0 || layers > blocks.size()) {
            throw new IllegalArgumentException("layers = " + layers + " must be in [0, " + blocks.size() + "]");
        }
        for (int i = 0; i < layers; i++) {
            x = blocks.get(i).forward(x, start, caches == null ? null : caches.get(i));
            if (hidden != null) {
                hidden.add(x);
            }
        }
        return x;
    }

    /**
     * One new patch for each of N sequences decoded together, each at its own patch position against its own
     * caches: z {@code [N, d]}, {@code positions[i]} and {@code caches.get(i)} (one cache per layer) of row i →
     * g {@code [N, d]}. The projections and MLPs run once over the N rows.
     */
    public NDArray step(NDArray z, long[] positions, List<List<KvCache>> caches) {
        NDArray x = z.expandDims(1); // [N, 1, d]
        for (int i = 0; i < blocks.size(); i++) {
            int layer = i;
            x = blocks.get(i).step(x, positions, caches.stream().map(c -> c.get(layer)).toList());
        }
        return x.squeeze(1);
    }

    /** One empty cache per layer, sliding layers bounded by their window. */
    public List<KvCache> newCaches(NDManager manager) {
        List<KvCache> caches = new ArrayList<>();
        for (OlmoBlock block : blocks) {
            caches.add(new KvCache(manager, block.attention().window()));
        }
        return caches;
    }

    public int layers() {
        return blocks.size();
    }

    public OlmoConfig config() {
        return config;
    }

    float[] ropeInvFreq() {
        return blocks.get(0).attention().ropeInvFreq();
    }
}
