package io.bolmo.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and finds subword vocabularies (model.md §2.2); every error names the file and the bad value. */
final class SubwordVocabularyLoader {

    static final String TOKENIZER_JSON = "tokenizer.json";
    /** Sibling of a plain vocabulary JSON that names its specials (the golden layout). */
    static final String SPECIAL_TOKENS_JSON = "subword_special_tokens.json";
    private static final List<String> SPECIALS_CONFIGS = List.of("tokenizer_config.json", "special_tokens_map.json");

    private SubwordVocabularyLoader() {}

    static SubwordVocabulary load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(TOKENIZER_JSON) : path;
        JsonObject root = readObject(file, "subword vocabulary");
        if (root.has("model") && root.get("model").isJsonObject()) {
            return fromTokenizerJson(file, root);
        }
        Path specials = file.resolveSibling(SPECIAL_TOKENS_JSON);
        return fromVocabJson(file, root, Files.isRegularFile(specials) ? specials : null);
    }

    static SubwordVocabulary fromTokenizerJson(Path file) {
        return fromTokenizerJson(file, readObject(file, "tokenizer.json"));
    }

    private static SubwordVocabulary fromTokenizerJson(Path file, JsonObject root) {
        String problem = bpeProblem(root);
        if (problem != null) {
            throw new IllegalArgumentException(file + ": " + problem);
        }
        // Ids decide insertion order: HF get_vocab() order is unspecified, so id order is the stable choice.
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("model").getAsJsonObject("vocab").entrySet()) {
            entries.add(Map.entry(e.getKey(), intValue(file, "model.vocab[\"" + e.getKey() + "\"]", e.getValue())));
        }
        List<String> added = new ArrayList<>();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement t : root.getAsJsonArray("added_tokens")) {
                JsonObject o = t.getAsJsonObject();
                String content = o.get("content").getAsString();
                entries.add(Map.entry(content, intValue(file, "added_tokens[\"" + content + "\"].id", o.get("id"))));
                added.add(content);
            }
        }
        entries.sort(Map.Entry.comparingByValue());
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries) {
            vocab.remove(e.getKey());
            vocab.put(e.getKey(), e.getValue());
        }
        return SubwordVocabulary.of(file.toString(), vocab, added,
                specialId(file, vocab, "eos_token", SubwordVocabulary.DEFAULT_EOS),
                specialId(file, vocab, "pad_token", SubwordVocabulary.DEFAULT_PAD),
                specialId(file, vocab, "bos_token", null));
    }

    /** Looks the special up in sibling configs; a named special missing from the vocabulary is an error. */
    private static int specialId(Path file, Map<String, Integer> vocab, String key, String fallback) {
        for (String name : SPECIALS_CONFIGS) {
            Path config = file.resolveSibling(name);
            if (!Files.isRegularFile(config)) {
                continue;
            }
            JsonObject o = readObject(config, "tokenizer config");
            if (!o.has(key)) {
                continue;
            }
            JsonElement v = o.get(key);
            if (v.isJsonNull()) {
                return -1;
            }
            if (v.isJsonObject() && v.getAsJsonObject().has("content")) {
                v = v.getAsJsonObject().get("content");
            }
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(config + ": " + key + " = " + v
                        + " is invalid: allowed: a string or {\"content\": string}");
            }
            Integer id = vocab.get(v.getAsString());
            if (id == null) {
                throw new IllegalArgumentException(config + ": unknown special token " + key + " = \""
                        + v.getAsString() + "\": not in the vocabulary of " + file);
            }
            return id;
        }
        return fallback == null ? -1 : vocab.getOrDefault(fallback, -1);
    }

    static SubwordVocabulary fromVocabJson(Path vocabJson, Path specialTokensJson) {
        return fromVocabJson(vocabJson, readObject(vocabJson, "subword vocabulary"), specialTokensJson);
    }

    private static SubwordVocabulary fromVocabJson(Path file, JsonObject root, Path specialsFile) {
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            vocab.put(e.getKey(), intValue(file, "[\"" + e.getKey() + "\"]", e.getValue()));
        }
        if (specialsFile == null) {
            List<String> added = new ArrayList<>();
            for (String s : List.of(SubwordVocabulary.DEFAULT_EOS, SubwordVocabulary.DEFAULT_PAD)) {
                if (vocab.containsKey(s)) {
                    added.add(s);
                }
            }
            return SubwordVocabulary.of(file.toString(), vocab, added,
                    vocab.getOrDefault(SubwordVocabulary.DEFAULT_EOS, -1),
                    vocab.getOrDefault(SubwordVocabulary.DEFAULT_PAD, -1), -1);
        }
        JsonObject s = readObject(specialsFile, "special tokens");
        List<String> added = new ArrayList<>();
        if (s.has("special_tokens") && s.get("special_tokens").isJsonObject()) {
            added.addAll(s.getAsJsonObject("special_tokens").keySet());
        }
        int eos = specialIdField(specialsFile, s, "eos_token_id", vocab);
        int pad = specialIdField(specialsFile, s, "pad_token_id", vocab);
        int bos = specialIdField(specialsFile, s, "bos_token_id", vocab);
        for (int id : new int[] {eos, pad, bos}) {
            String token = tokenOf(vocab, id);
            if (token != null && !added.contains(token)) {
                added.add(token);
            }
        }
        return SubwordVocabulary.of(file.toString(), vocab, added, eos, pad, bos);
    }

    private static int specialIdField(Path file, JsonObject o, String key, Map<String, Integer> vocab) {
        if (!o.has(key) || o.get(key).isJsonNull()) {
            return -1;
        }
        int id = intValue(file, key, o.get(key));
        if (tokenOf(vocab, id) == null) {
            throw new IllegalArgumentException(file + ": unknown special token id " + key + " = " + id
                    + ": no vocabulary entry has this id");
        }
        return id;
    }

    private static String tokenOf(Map<String, Integer> vocab, int id) {
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }

    static Path locate(Path modelDir, String originalIdentifier, Path override) {
        if (override != null) {
            Path p = fileOf(override);
            if (p == null) {
                throw new IllegalArgumentException("subword vocabulary override not found: " + override
                        + " (allowed: a tokenizer.json, a vocabulary JSON, or a directory holding tokenizer.json)");
            }
            return p;
        }
        List<String> tried = new ArrayList<>();
        if (originalIdentifier != null && !originalIdentifier.isBlank() && modelDir != null) {
            try {
                Path candidate = modelDir.resolve(originalIdentifier);
                Path p = fileOf(candidate);
                if (p != null) {
                    return p;
                }
                tried.add(candidate + " (original_identifier \"" + originalIdentifier + "\": not found)");
            } catch (InvalidPathException e) {
                tried.add("original_identifier \"" + originalIdentifier + "\" (not a valid path: " + e.getReason()
                        + ")");
            }
        }
        if (modelDir != null) {
            Path t = modelDir.resolve(TOKENIZER_JSON);
            if (Files.isRegularFile(t)) {
                String problem = bpeProblem(t);
                if (problem == null) {
                    return t;
                }
                tried.add(t + " (" + problem + ")");
            } else {
                tried.add(t + " (not found)");
            }
        }
        throw new IllegalArgumentException("no subword vocabulary found for model directory " + modelDir
                + "; tried: " + (tried.isEmpty() ? "nothing" : String.join("; ", tried))
                + ". Allowed: an explicit override path; tokenizer_config.original_identifier as a tokenizer.json,"
                + " a vocabulary JSON or a directory holding tokenizer.json, relative to the model directory;"
                + " or a byte-level BPE tokenizer.json in the model directory");
    }

    /** A regular file as is, a directory's tokenizer.json, or null. */
    private static Path fileOf(Path p) {
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path inner = p.resolve(TOKENIZER_JSON);
        return Files.isDirectory(p) && Files.isRegularFile(inner) ? inner : null;
    }

    private static String bpeProblem(Path file) {
        try {
            return bpeProblem(readObject(file, "tokenizer.json"));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Null when {@code root} is a BPE tokenizer.json, else why not. */
    private static String bpeProblem(JsonObject root) {
        if (!root.has("model") || !root.get("model").isJsonObject()) {
            return "no \"model\" object: not a Hugging Face tokenizer.json";
        }
        JsonObject model = root.getAsJsonObject("model");
        JsonElement type = model.get("type");
        if (type == null || !type.isJsonPrimitive() || !"BPE".equals(type.getAsString())) {
            return "model.type = " + type + " is not supported: allowed: \"BPE\" (byte-level)";
        }
        if (!model.has("vocab") || !model.get("vocab").isJsonObject()) {
            return "model.vocab is missing or not an object";
        }
        return null;
    }

    private static int intValue(Path file, String field, JsonElement v) {
        if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException(file + ": " + field + " = " + v + " is invalid: allowed: an integer id");
    }

    static JsonObject readObject(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " file not found: " + file);
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object at the top level");
            }
            return root.getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
