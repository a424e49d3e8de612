package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Matrix;

/**
 * Local encoder (model.md §2.2, §3): {@code e_t = E_byte[x_t] + E_sub[s_t]}, the local blocks, a final RMSNorm
 * ({@code local_rms_norm_eps}). ids and subword rows {@code [n]} → h {@code [n, d]}.
 */
public final class LocalEncoder {

    static final String PREFIX = "model.local_encoder";

    private final Matrix byteEmbedding;     // [V, d]
    private final Matrix subwordEmbedding;  // [subword vocab, d] or null
    private final LocalStack blocks;
    private final RmsNorm finalNorm;
    private final int d;

    LocalEncoder(Tensors t, BolmoShapes s) {
        this.d = s.d();
        this.byteEmbedding = t.matrix(PREFIX + ".byte_embedding.weight", s.vocab(), d);
        this.subwordEmbedding = s.subwordVocab() > 0
                ? t.matrix(PREFIX + ".subword_embedding.weight", s.subwordVocab(), d) : null;
        this.blocks = new LocalStack(t, PREFIX + ".layers", s.encoderLayers(), d, s.localHeads(), s.localHidden(),
                s.rmsNormEps());
        this.finalNorm = RmsNorm.take(t, PREFIX + ".post_last_block_norm", d, s.localRmsNormEps());
    }

    /** Row i: byte {@code ids[i]} with subword row {@code subwordRows[i]}, advancing {@code states[i]}. */
    float[] forward(int[] ids, int[] subwordRows, int n, MLstmState[][] states) {
        return finalNorm.forward(blocks.forward(embed(ids, subwordRows, n), n, states), n);
    }

    private float[] embed(int[] ids, int[] subwordRows, int n) {
        float[] e = new float[n * d];
        float[] sub = new float[d];
        for (int i = 0; i < n; i++) {
            checkRow(ids[i], byteEmbedding, "byte id");
            byteEmbedding.row(ids[i], e, i * d);
            if (subwordEmbedding != null) {
                checkRow(subwordRows[i], subwordEmbedding, "subword row");
                subwordEmbedding.row(subwordRows[i], sub, 0);
                for (int j = 0; j < d; j++) {
                    e[i * d + j] += sub[j];
                }
            }
        }
        return e;
    }

    static void checkRow(int row, Matrix table, String what) {
        if (row < 0 || row >= table.rows()) {
            throw new IllegalArgumentException(what + " " + row + " is outside the embedding's " + table.rows()
                    + " rows");
        }
    }

    MLstmState[] newStates() {
        return blocks.newStates();
    }
}
