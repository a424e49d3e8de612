package io.bolmo.engine.vector.nn;

import io.bolmo.config.OlmoConfig;

/**
 * The source model's transformer blocks ({@code model.layers.*}, model.md §5.2): over patches in Bolmo, over token
 * embeddings in the subword model. n rows, row i at {@code positions[i]} with its caches {@code caches[i][layer]}
 * (n sequences when decoding, n consecutive positions of one sequence in prefill). {@code [n, d]} → {@code [n, d]}.
 */
public final class GlobalTransformer {

    private final OlmoBlock[] blocks;

    GlobalTransformer(Tensors t, OlmoConfig c) {
        this.blocks = new OlmoBlock[c.numHiddenLayers()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new OlmoBlock(t, "model.layers." + i, c, c.layerTypes().get(i));
        }
    }

    float[] forward(float[] x, int n, int[] positions, KvCache[][] caches) {
        KvCache[] layer = new KvCache[n];
        for (int l = 0; l < blocks.length; l++) {
            for (int i = 0; i < n; i++) {
                layer[i] = caches[i][l];
            }
            x = blocks[l].forward(x, n, positions, layer);
        }
        return x;
    }

    /** One empty cache per layer. */
    KvCache[] newCaches() {
        KvCache[] c = new KvCache[blocks.length];
        for (int l = 0; l < blocks.length; l++) {
            c[l] = blocks[l].newCache();
        }
        return c;
    }

    int layers() {
        return blocks.length;
    }
}
