package io.bolmo.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Hugging Face {@code BolmoConfig} (model.md §9.4): the global Olmo stack plus the local encoder/decoder, boundary
 * predictor and byte vocabulary. Defaults are those of the reference configuration class.
 *
 * <p>Local dims equal global dims (model.md §1): the mLSTM uses qk dim {@code d/2} and v dim {@code d}, split into
 * {@code numLocalHeads} heads.
 *
 * @param global                   the Olmo blocks that run over patches
 * @param vocabSize                rows of the byte embedding and of the LM head (520 real ids, usually padded to 640)
 * @param subwordVocabSize         rows of the retained subword embedding (dolma2: 100278)
 * @param subwordVocabulary        {@code tokenizer_config.original_identifier}: where the subword vocabulary lives
 */
public record BolmoConfig(
        OlmoConfig global,
        int vocabSize,
        int numLocalEncoderLayers,
        int numLocalDecoderLayers,
        int numLocalHeads,
        int localIntermediateSize,
        double localRmsNormEps,
        int subwordVocabSize,
        boolean addExpandedEmbeddings,
        int boundaryPredictorLookahead,
        String boundaryThreshold,
        String subwordVocabulary) {

    /** Byte-level ids (model.md §2.1): 4 specials, 256 bytes, each doubled by the fused boundary flag. */
    public static final int PAD_ID = 0;
    public static final int BOS_ID = 1;
    /** EOS is the BOS id ("divergence from BLT"); id 2 is never produced. */
    public static final int EOS_ID = 1;
    public static final int BPE_TOKEN_END_ID = 3;
    public static final int BYTE_OFFSET = 4;
    public static final int PLAIN_VOCAB = 260;
    public static final int FUSED_VOCAB = 2 * PLAIN_VOCAB;

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    public BolmoConfig {
        int d = global.hiddenSize();
        check(vocabSize >= FUSED_VOCAB, "vocab_size", vocabSize, "must be >= 520 (260 byte ids x 2 boundary flags)");
        check(numLocalEncoderLayers >= 1, "num_local_encoder_layers", numLocalEncoderLayers, "must be >= 1");
        check(numLocalDecoderLayers >= 1, "num_local_decoder_layers", numLocalDecoderLayers, "must be >= 1");
        check(numLocalHeads > 0 && d % (2 * numLocalHeads) == 0, "num_local_heads", numLocalHeads,
                "must divide hidden_size / 2 = " + d / 2 + " (the mLSTM qk dim)");
        check(localIntermediateSize > 0, "local_intermediate_size", localIntermediateSize, "must be > 0");
        check(localRmsNormEps > 0, "local_rms_norm_eps", localRmsNormEps, "must be > 0");
        check(subwordVocabSize > 0 || !addExpandedEmbeddings, "subword_vocab_size", subwordVocabSize,
                "must be > 0 when add_expanded_embeddings is true");
        check(boundaryPredictorLookahead == 1, "boundary_predictor_lookahead", boundaryPredictorLookahead,
                "allowed: 1 (the released models and the generation procedure use one byte of lookahead)");
        check("sample:0".equals(boundaryThreshold), "boundary_threshold", "\"" + boundaryThreshold + "\"",
                "allowed: \"sample:0\" (the only threshold of the released models and the HF conversion)");
    }

    /** Reads a Bolmo {@code config.json}. */
    public static BolmoConfig load(Path configJson) {
        return fromFields(JsonFields.read(configJson));
    }

    public static BolmoConfig parse(String json) {
        return fromFields(JsonFields.parse(json, "config.json"));
    }

    private static BolmoConfig fromFields(JsonFields f) {
        String type = f.string("model_type", "bolmo");
        if (!type.equals("bolmo")) {
            throw f.invalid("model_type", "\"" + type + "\"", "allowed: \"bolmo\"");
        }
        JsonFields tok = f.object("tokenizer_config");
        checkTokenizer(tok);
        int lookahead = f.integer("boundary_predictor_lookahead", 1);
        return new BolmoConfig(
                OlmoConfig.fromFields(f, "bolmo", 0),
                f.integer("vocab_size", FUSED_VOCAB),
                f.integer("num_local_encoder_layers", 1),
                f.integer("num_local_decoder_layers", 4),
                f.integer("num_local_heads", 16),
                f.requiredInteger("local_intermediate_size"),
                f.number("local_rms_norm_eps", 1e-5),
                f.integer("subword_vocab_size", 100_278),
                f.bool("add_expanded_embeddings", true),
                lookahead,
                f.string("boundary_threshold", "sample:0"),
                tok.string("original_identifier", null));
    }

    /** The byte tokenizer layout is fixed by the model's id space; anything else would silently mis-map ids. */
    private static void checkTokenizer(JsonFields tok) {
        if (tok.integer("bos_token_id", BOS_ID) != BOS_ID) {
            throw tok.invalid("bos_token_id", tok.integer("bos_token_id", 0), "allowed: 1");
        }
        if (tok.integer("eos_token_id", EOS_ID) != EOS_ID) {
            throw tok.invalid("eos_token_id", tok.integer("eos_token_id", 0), "allowed: 1 (Bolmo uses BOS as EOS)");
        }
        if (tok.integer("pad_token_id", PAD_ID) != PAD_ID) {
            throw tok.invalid("pad_token_id", tok.integer("pad_token_id", 0), "allowed: 0");
        }
        if (!tok.bool("special_tokens_first", true)) {
            throw tok.invalid("special_tokens_first", false, "allowed: true");
        }
    }

    public int hiddenSize() {
        return global.hiddenSize();
    }

    /** Total mLSTM query/key width, {@code d/2} ({@code qk_dim_factor=0.5}). */
    public int mlstmQkDim() {
        return hiddenSize() / 2;
    }

    /** Total mLSTM value width, {@code d} ({@code v_dim_factor=1.0}). */
    public int mlstmVDim() {
        return hiddenSize();
    }

    public double rmsNormEps() {
        return global.rmsNormEps();
    }

    /** A copy whose subword vocabulary points elsewhere (for example a tokenizer file next to the weights). */
    public BolmoConfig withSubwordVocabulary(String identifier) {
        return new BolmoConfig(global, vocabSize, numLocalEncoderLayers, numLocalDecoderLayers, numLocalHeads,
                localIntermediateSize, localRmsNormEps, subwordVocabSize, addExpandedEmbeddings,
                boundaryPredictorLookahead, boundaryThreshold, identifier);
    }

    /** The Hugging Face {@code config.json} for this model. */
    public String toJson() {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add("BolmoForCausalLM");
        o.add("architectures", arch);
        o.addProperty("model_type", "bolmo");
        o.addProperty("torch_dtype", "float32");
        o.addProperty("vocab_size", vocabSize);
        global.writeTo(o);
        o.addProperty("max_position_embeddings", -1);
        o.addProperty("pad_token_id", PAD_ID);
        o.addProperty("bos_token_id", BOS_ID);
        o.addProperty("eos_token_id", EOS_ID);
        o.addProperty("add_expanded_embeddings", addExpandedEmbeddings);
        o.addProperty("boundary_predictor_lookahead", boundaryPredictorLookahead);
        o.addProperty("boundary_threshold", boundaryThreshold);
        o.addProperty("num_local_encoder_layers", numLocalEncoderLayers);
        o.addProperty("num_local_decoder_layers", numLocalDecoderLayers);
        o.addProperty("num_local_heads", numLocalHeads);
        o.addProperty("local_intermediate_size", localIntermediateSize);
        o.addProperty("local_rms_norm_eps", localRmsNormEps);
        o.addProperty("subword_vocab_size", subwordVocabSize);
        JsonObject tok = new JsonObject();
        tok.addProperty("vocab_size", FUSED_VOCAB);
        tok.addProperty("bos_token_id", BOS_ID);
        tok.addProperty("pad_token_id", PAD_ID);
        tok.addProperty("eos_token_id", EOS_ID);
        tok.addProperty("bpe_token_end_id", BPE_TOKEN_END_ID);
        JsonArray specials = new JsonArray();
        for (String s : new String[] {"<pad>", "<bos>", "<eos>", "<bpe_token_end>"}) {
            specials.add(s);
        }
        tok.add("special_tokens", specials);
        tok.addProperty("special_tokens_first", true);
        tok.addProperty("original_identifier", subwordVocabulary);
        o.add("tokenizer_config", tok);
        return GSON.toJson(o);
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new ConfigException("field '" + field + "' = " + value + " is invalid: " + rule);
        }
    }
}
