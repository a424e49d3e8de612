package io.bolmo.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape of an Olmo 2 / Olmo 3 transformer stack (model.md §5.2), read from a Hugging Face {@code config.json}.
 * Bolmo's global model uses the same fields; there {@code vocabSize} is unused (no token embedding, no LM head).
 *
 * @param modelType      {@code olmo2}, {@code olmo3} or {@code bolmo}
 * @param vocabSize      subword vocabulary rows of the embedding and LM head (subword model only)
 * @param layerTypes     one entry per layer: full or sliding-window causal attention
 * @param slidingWindow  window in positions (patches for Bolmo) for sliding layers: key j is visible from
 *                       query p when p - slidingWindow < j <= p
 */
public record OlmoConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        List<AttentionType> layerTypes,
        int slidingWindow,
        boolean tieWordEmbeddings,
        Integer bosTokenId,
        Integer eosTokenId,
        Integer padTokenId) {

    public OlmoConfig {
        layerTypes = List.copyOf(layerTypes);
        require(hiddenSize > 0, "hidden_size", hiddenSize, "must be > 0");
        require(intermediateSize > 0, "intermediate_size", intermediateSize, "must be > 0");
        require(numHiddenLayers > 0, "num_hidden_layers", numHiddenLayers, "must be > 0");
        require(numAttentionHeads > 0, "num_attention_heads", numAttentionHeads, "must be > 0");
        require(numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0, "num_key_value_heads",
                numKeyValueHeads, "must be > 0 and divide num_attention_heads = " + numAttentionHeads);
        require(headDim > 0 && headDim % 2 == 0, "head_dim", headDim, "must be a positive even number (RoPE)");
        require(layerTypes.size() == numHiddenLayers, "layer_types", layerTypes.size() + " entries",
                "must have num_hidden_layers = " + numHiddenLayers + " entries");
        require(slidingWindow > 0 || !layerTypes.contains(AttentionType.SLIDING_ATTENTION), "sliding_window",
                slidingWindow, "must be > 0 when a layer uses sliding_attention");
        require(ropeTheta > 0, "rope_theta", ropeTheta, "must be > 0");
        require(rmsNormEps > 0, "rms_norm_eps", rmsNormEps, "must be > 0");
    }

    /** Reads {@code config.json} of an Olmo 2 / Olmo 3 subword model. */
    public static OlmoConfig load(Path configJson) {
        JsonFields f = JsonFields.read(configJson);
        String type = f.string("model_type", "olmo2");
        if (!type.equals("olmo2") && !type.equals("olmo3")) {
            throw f.invalid("model_type", "\"" + type + "\"", "allowed: \"olmo2\", \"olmo3\"");
        }
        return fromFields(f, type, f.requiredInteger("vocab_size"));
    }

    static OlmoConfig fromFields(JsonFields f, String modelType, int vocabSize) {
        int hidden = f.requiredInteger("hidden_size");
        int layers = f.requiredInteger("num_hidden_layers");
        int heads = f.requiredInteger("num_attention_heads");
        int kvHeads = f.integer("num_key_value_heads", heads);
        if (heads <= 0 || hidden % heads != 0) {
            throw f.invalid("num_attention_heads", heads, "must be > 0 and divide hidden_size = " + hidden);
        }
        int headDim = f.integer("head_dim", hidden / heads);
        if (headDim * heads != hidden) {
            throw f.invalid("head_dim", headDim, "must equal hidden_size / num_attention_heads = " + hidden / heads);
        }
        String act = f.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.invalid("hidden_act", "\"" + act + "\"", "allowed: \"silu\"");
        }
        if (f.bool("attention_bias", false)) {
            throw f.invalid("attention_bias", true, "allowed: false (Olmo attention has no biases)");
        }
        if (f.has("rope_scaling")) {
            throw f.invalid("rope_scaling", f.json().get("rope_scaling"),
                    "allowed: null (RoPE scaling is not supported; Bolmo's global model was trained without it)");
        }
        return new OlmoConfig(modelType, vocabSize, hidden, f.requiredInteger("intermediate_size"), layers, heads,
                kvHeads, headDim, f.number("rms_norm_eps", 1e-6), f.number("rope_theta", 500_000.0),
                layerTypes(f, modelType, layers), f.integer("sliding_window", 4096),
                f.bool("tie_word_embeddings", false), f.optionalInteger("bos_token_id"),
                f.optionalInteger("eos_token_id"), f.optionalInteger("pad_token_id"));
    }

    private static List<AttentionType> layerTypes(JsonFields f, String modelType, int layers) {
        List<String> names = f.strings("layer_types");
        List<AttentionType> types = new ArrayList<>();
        if (names == null) {
            // Olmo 3 default: three sliding-window layers then one full layer, repeating; the last layer is
            // always full (olmo-core pattern [W, W, W, -1]). Olmo 2 and Bolmo-1B: all full.
            boolean olmo3 = modelType.equals("olmo3");
            for (int i = 0; i < layers; i++) {
                boolean sliding = olmo3 && (i + 1) % 4 != 0 && i != layers - 1;
                types.add(sliding ? AttentionType.SLIDING_ATTENTION : AttentionType.FULL_ATTENTION);
            }
            return types;
        }
        for (int i = 0; i < names.size(); i++) {
            types.add(AttentionType.parse(names.get(i), f, "layer_types[" + i + "]"));
        }
        return types;
    }

    int kvGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Writes the fields of this stack into a Hugging Face config object. */
    void writeTo(JsonObject o) {
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("num_key_value_heads", numKeyValueHeads);
        o.addProperty("hidden_act", "silu");
        o.addProperty("rms_norm_eps", rmsNormEps);
        o.addProperty("rope_theta", ropeTheta);
        o.add("rope_scaling", null);
        o.addProperty("attention_bias", false);
        o.addProperty("sliding_window", slidingWindow);
        JsonArray types = new JsonArray();
        layerTypes.forEach(t -> types.add(t.hfName()));
        o.add("layer_types", types);
        o.addProperty("tie_word_embeddings", tieWordEmbeddings);
        if (bosTokenId != null) {
            o.addProperty("bos_token_id", bosTokenId);
        }
        if (eosTokenId != null) {
            o.addProperty("eos_token_id", eosTokenId);
        }
        if (padTokenId != null) {
            o.addProperty("pad_token_id", padTokenId);
        }
    }

    /** The Hugging Face {@code config.json} of a subword Olmo model with this shape. */
    public String toJson() {
        JsonObject o = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(modelType.equals("olmo3") ? "Olmo3ForCausalLM" : "Olmo2ForCausalLM");
        o.add("architectures", arch);
        o.addProperty("model_type", modelType);
        o.addProperty("vocab_size", vocabSize);
        writeTo(o);
        o.addProperty("torch_dtype", "float32");
        return BolmoConfig.GSON.toJson(o);
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new ConfigException("field '" + field + "' = " + value + " is invalid: " + rule);
        }
    }
}
