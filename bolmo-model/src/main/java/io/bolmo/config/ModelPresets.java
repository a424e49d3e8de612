package io.bolmo.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Configurations of the released model shapes (model.md §9.4) and of a tiny golden-sized model, so that benchmarks and
 * tests can build a model with random weights without any files.
 */
public final class ModelPresets {

    /** dolma2 / cl100k special ids of the Olmo subword models. */
    private static final int OLMO_EOS = 100_257;
    private static final int OLMO_PAD = 100_277;
    /** The subword embedding of the Olmo models is padded from 100 278 to 100 352 rows (model.md §2.2). */
    public static final int OLMO_PADDED_VOCAB = 100_352;
    /** dolma2 vocabulary size (model.md §2.2). */
    public static final int DOLMA2_VOCAB = 100_278;
    /** Rows of the bundled {@code cl100k-8192} tokenizer (8 192 ranks + 4 specials); the golden preset uses it. */
    public static final int CL100K_8192_VOCAB = 8_196;

    private ModelPresets() {}

    /** The global stack of Bolmo-1B = the blocks of OLMo 2 1B: d 2048, 16 layers, 16 heads, FFN 8192, all full. */
    public static OlmoConfig olmo2OneBBlocks(String modelType, int vocabSize, Integer bos, Integer eos, Integer pad) {
        return new OlmoConfig(modelType, vocabSize, 2048, 8192, 16, 16, 16, 128, 1e-6, 500_000.0,
                Collections.nCopies(16, AttentionType.FULL_ATTENTION), 4096, false, bos, eos, pad);
    }

    /** OLMo 2 1B, the subword source model of Bolmo-1B (model.md §9.1: ≈ 1.485 B parameters). */
    public static OlmoConfig olmo2OneB() {
        return olmo2OneBBlocks("olmo2", OLMO_PADDED_VOCAB, null, OLMO_EOS, OLMO_PAD);
    }

    /** Olmo 3 7B, the source model of Bolmo-7B: d 4096, 32 layers, 32 heads, FFN 11008, 3 sliding + 1 full. */
    public static OlmoConfig olmo3SevenB() {
        return olmo3SevenBBlocks("olmo3", OLMO_PADDED_VOCAB, null, OLMO_EOS, OLMO_PAD);
    }

    private static OlmoConfig olmo3SevenBBlocks(String type, int vocab, Integer bos, Integer eos, Integer pad) {
        List<AttentionType> types = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            boolean sliding = (i + 1) % 4 != 0 && i != 31;
            types.add(sliding ? AttentionType.SLIDING_ATTENTION : AttentionType.FULL_ATTENTION);
        }
        return new OlmoConfig(type, vocab, 4096, 11008, 32, 32, 32, 128, 1e-6, 500_000.0, types, 4096, false, bos,
                eos, pad);
    }

    /** Bolmo-1B (model.md §9.4): ≈ 1.469 B parameters, local FFN 2816, 1 encoder + 4 decoder mLSTM blocks. */
    public static BolmoConfig bolmoOneB() {
        return bolmo(olmo2OneBBlocks("bolmo", 0, BolmoConfig.BOS_ID, BolmoConfig.EOS_ID, BolmoConfig.PAD_ID), 2816,
                DOLMA2_VOCAB);
    }

    /** Bolmo-7B (model.md §9.4): ≈ 7.634 B parameters, local FFN 5504. */
    public static BolmoConfig bolmoSevenB() {
        return bolmo(olmo3SevenBBlocks("bolmo", 0, BolmoConfig.BOS_ID, BolmoConfig.EOS_ID, BolmoConfig.PAD_ID), 5504,
                DOLMA2_VOCAB);
    }

    /**
     * The shapes of the golden {@code tiny-olmo2} model (d 96, 3 full-attention layers, 6 heads, 4 local heads,
     * 4 decoder blocks), but with a subword embedding of {@link #CL100K_8192_VOCAB} rows so that the bundled
     * cl100k-8192 tokenizer fits it.
     */
    public static BolmoConfig goldenTiny() {
        OlmoConfig global = new OlmoConfig("bolmo", 0, 96, 128, 3, 6, 6, 16, 1e-6, 500_000.0,
                Collections.nCopies(3, AttentionType.FULL_ATTENTION), 4, false, BolmoConfig.BOS_ID,
                BolmoConfig.EOS_ID, BolmoConfig.PAD_ID);
        return new BolmoConfig(global, 640, 1, 4, 4, 96, 1e-5, CL100K_8192_VOCAB, true, 1, "sample:0", null);
    }

    /**
     * The subword model whose blocks are the global model of {@code bolmo}: the same stack with a token embedding
     * and LM head over the subword vocabulary padded up to a multiple of 128 (dolma2: 100 278 → 100 352).
     */
    public static OlmoConfig sourceModelOf(BolmoConfig bolmo) {
        OlmoConfig g = bolmo.global();
        int vocab = (bolmo.subwordVocabSize() + 127) / 128 * 128;
        String type = g.layerTypes().contains(AttentionType.SLIDING_ATTENTION) ? "olmo3" : "olmo2";
        return new OlmoConfig(type, vocab, g.hiddenSize(), g.intermediateSize(), g.numHiddenLayers(),
                g.numAttentionHeads(), g.numKeyValueHeads(), g.headDim(), g.rmsNormEps(), g.ropeTheta(),
                g.layerTypes(), g.slidingWindow(), false, null, null, null);
    }

    /** {@code c} with only its first {@code layers} layers (quick benchmarks and tests on large shapes). */
    public static OlmoConfig withLayers(OlmoConfig c, int layers) {
        if (layers < 1 || layers > c.numHiddenLayers()) {
            throw new IllegalArgumentException("layers = " + layers + " is invalid: must be in [1, "
                    + c.numHiddenLayers() + "]");
        }
        return new OlmoConfig(c.modelType(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), layers,
                c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.rmsNormEps(), c.ropeTheta(),
                c.layerTypes().subList(0, layers), c.slidingWindow(), c.tieWordEmbeddings(), c.bosTokenId(),
                c.eosTokenId(), c.padTokenId());
    }

    /** {@code c} with only the first {@code layers} layers of its global model. */
    public static BolmoConfig withGlobalLayers(BolmoConfig c, int layers) {
        return new BolmoConfig(withLayers(c.global(), layers), c.vocabSize(), c.numLocalEncoderLayers(),
                c.numLocalDecoderLayers(), c.numLocalHeads(), c.localIntermediateSize(), c.localRmsNormEps(),
                c.subwordVocabSize(), c.addExpandedEmbeddings(), c.boundaryPredictorLookahead(),
                c.boundaryThreshold(), c.subwordVocabulary());
    }

    private static BolmoConfig bolmo(OlmoConfig global, int localFfn, int subwordVocab) {
        return new BolmoConfig(global, 640, 1, 4, 16, localFfn, 1e-5, subwordVocab, true, 1, "sample:0",
                "allenai/dolma2-tokenizer");
    }
}
