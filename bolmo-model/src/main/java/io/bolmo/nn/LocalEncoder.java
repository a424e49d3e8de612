package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import java.util.List;

/**
 * Local encoder (model.md §2.2, §3): {@code e_t = E_byte[x_t] + E_sub[s_t]}, then the local blocks
 * and a final RMSNorm ({@code local_rms_norm_eps}). ids, subword ids {@code [B, L]} → h {@code [B, L, d]}.
 */
public final class LocalEncoder {

    static final String PREFIX = "model.local_encoder";

    private final NDArray byteEmbedding;
    private final NDArray subwordEmbedding;
    private final LocalStack blocks;
    private final RmsNorm finalNorm;

    LocalEncoder(Weights w, BolmoSizes s, int layers, boolean subwordEmbeddings) {
        this.byteEmbedding = w.take(PREFIX + ".byte_embedding.weight", s.vocab(), s.d());
        this.subwordEmbedding = subwordEmbeddings
                ? w.take(PREFIX + ".subword_embedding.weight", s.subwordVocab(), s.d())
                : null;
        this.blocks = new LocalStack(w, PREFIX + ".layers", layers, s);
        this.finalNorm = RmsNorm.take(w, PREFIX + ".post_last_block_norm", s.d(), s.localRmsNormEps());
    }

    /** Whole sequence from the zero state; {@code states} receives each layer's final state when not null. */
    public NDArray forward(NDArray ids, NDArray subwordIds, List<MLstmLayer.State> states) {
        return forward(ids, subwordIds, null, states);
    }

    /** Whole sequence continuing from {@code initial} (null = the zero state), e.g. the next chunk of a prompt. */
    public NDArray forward(NDArray ids, NDArray subwordIds, List<MLstmLayer.State> initial,
            List<MLstmLayer.State> states) {
        return finalNorm.forward(blocks.forward(embed(ids, subwordIds), initial, states));
    }

    /** One byte per sequence: ids {@code [B]} → h {@code [B, d]}; {@code states} advance in place. */
    public NDArray step(NDArray ids, NDArray subwordIds, List<MLstmLayer.State> states) {
        return finalNorm.forward(blocks.step(embed(ids, subwordIds), states));
    }

    NDArray embed(NDArray ids, NDArray subwordIds) {
        NDArray e = lookup(byteEmbedding, ids);
        return subwordEmbedding == null ? e : e.add(lookup(subwordEmbedding, subwordIds));
    }

    private static NDArray lookup(NDArray table, NDArray ids) {
        NDArray idx = ids.toType(DataType.INT64, false);
        return idx.getNDArrayInternal().embedding(idx, table, SparseFormat.DENSE).singletonOrThrow();
    }

    public List<MLstmLayer.State> zeroStates(NDManager manager, long batch) {
        return blocks.zeroStates(manager, batch);
    }
}
