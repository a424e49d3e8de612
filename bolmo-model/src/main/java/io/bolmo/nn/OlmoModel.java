package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import io.bolmo.config.OlmoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The subword source model (Olmo 2 / Olmo 3 decoder): token embedding, the {@link GlobalTransformer} blocks
 * Bolmo keeps, final norm and LM head. It is the Stage 1 teacher and the speed baseline. tokens {@code [B, T]} →
 * logits {@code [B, T, V]}.
 */
public final class OlmoModel implements AutoCloseable {

    private final OlmoConfig config;
    private final Weights weights;
    private final NDArray embedding;
    private final GlobalTransformer blocks;
    private final LmHead lmHead;

    private OlmoModel(OlmoConfig config, Weights w) {
        this.config = config;
        this.weights = w;
        this.embedding = w.take("model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
        this.blocks = new GlobalTransformer(w, config);
        this.lmHead = new LmHead(w, config.hiddenSize(), config.vocabSize(), config.rmsNormEps());
        w.checkAllUsed();
    }

    /** Builds the model over {@code weights}; the model owns them from now on. */
    public static OlmoModel create(OlmoConfig config, Weights weights) {
        if (config.tieWordEmbeddings()) {
            weights.close();
            throw new WeightsException("tie_word_embeddings = true is not supported: Olmo 2/3 keep a separate lm_head");
        }
        try {
            return new OlmoModel(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Logits and the hidden state after every block; arrays live on the manager of the tokens. */
    public record Output(NDArray logits, List<NDArray> hidden) implements AutoCloseable {
        @Override
        public void close() {
            logits.close();
            hidden.forEach(NDArray::close);
        }
    }

    public Output forward(NDArray tokens) {
        return forward(tokens, 0, null, true);
    }

    /** Tokens at positions {@code start …}, with optional KV caches (one per layer) for decoding. */
    public Output forward(NDArray tokens, long start, List<KvCache> caches, boolean keepHidden) {
        NDManager out = tokens.getManager();
        try (NDScope scope = new NDScope()) {
            NDArray x = embed(tokens);
            List<NDArray> hidden = keepHidden ? new ArrayList<>() : null;
            NDArray last = blocks.forward(x, start, caches, blocks.layers(), hidden);
            NDArray logits = lmHead.forward(last);
            List<NDArray> kept = hidden == null ? List.of() : hidden;
            for (NDArray a : kept) {
                NDScope.unregister(a);
                a.attach(out);
            }
            NDScope.unregister(logits);
            logits.attach(out);
            return new Output(logits, kept);
        }
    }

    /** Token embeddings: ids {@code [...]} → {@code [..., d]}. */
    public NDArray embed(NDArray tokens) {
        NDArray idx = tokens.toType(DataType.INT64, false);
        return idx.getNDArrayInternal().embedding(idx, embedding, SparseFormat.DENSE).singletonOrThrow();
    }

    public LmHead lmHead() {
        return lmHead;
    }

    public OlmoConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    public GlobalTransformer blocks() {
        return blocks;
    }

    public NDArray embedding() {
        return embedding;
    }

    @Override
    public void close() {
        weights.close();
    }
}
