package io.bolmo.tokenize;

import io.bolmo.config.BolmoConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subword vocabulary whose entries feed the retained subword embeddings (model.md §2.2): token
 * string to id, and for every id the byte-id sequence the suffix trie is built from.
 *
 * <p>Byte sequences follow the precedence of model.md §2.2: subword EOS and BOS become {@code [1]}, subword PAD {@code
 * [0]}, a key spelled like a byte-level special ({@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <bpe_token_end>})
 * that special's id, anything else its GPT-2 alphabet bytes + 4.
 */
public final class SubwordVocabulary {

    /** Used when no tokenizer config names the specials, matching the dolma2 and cl100k conventions. */
    public static final String DEFAULT_EOS = "<|endoftext|>";
    public static final String DEFAULT_PAD = "<|pad|>";
    /** Byte-level special strings in id order (model.md §2.1). */
    static final List<String> BYTE_SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<bpe_token_end>");

    private final String source;
    private final String[] entryTokens;
    private final int[] entryIds;
    private final int[][] entryBytes;
    private final Map<String, Integer> idByToken;
    private final String[] tokenById;
    private final int[][] bytesById;
    private final List<String> addedTokens;
    private final int eosId;
    private final int padId;
    private final int bosId;

    /**
     * @param source      where the vocabulary came from, for error messages
     * @param vocab       token to id, in trie insertion order (a later entry with the same bytes wins)
     * @param addedTokens strings the subword tokenizer matches whole inside text (its added/special tokens)
     * @param eosId       subword EOS id, or -1
     * @param padId       subword PAD id, or -1
     * @param bosId       subword BOS id, or -1
     */
    public static SubwordVocabulary of(String source, LinkedHashMap<String, Integer> vocab, List<String> addedTokens,
            int eosId, int padId, int bosId) {
        return new SubwordVocabulary(source, vocab, addedTokens, eosId, padId, bosId);
    }

    private SubwordVocabulary(String source, LinkedHashMap<String, Integer> vocab, List<String> addedTokens,
            int eosId, int padId, int bosId) {
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException(source + ": the subword vocabulary is empty");
        }
        this.source = source;
        int n = vocab.size();
        entryTokens = new String[n];
        entryIds = new int[n];
        entryBytes = new int[n][];
        idByToken = new HashMap<>(vocab);
        int maxId = -1;
        int i = 0;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0) {
                throw new IllegalArgumentException(source + ": token \"" + e.getKey() + "\" has negative id " + id);
            }
            entryTokens[i] = e.getKey();
            entryIds[i++] = id;
            maxId = Math.max(maxId, id);
        }
        checkSpecial("eos", eosId, maxId);
        checkSpecial("pad", padId, maxId);
        checkSpecial("bos", bosId, maxId);
        this.eosId = eosId;
        this.padId = padId;
        this.bosId = bosId;
        this.addedTokens = List.copyOf(addedTokens);
        tokenById = new String[maxId + 1];
        bytesById = new int[maxId + 1][];
        for (i = 0; i < n; i++) {
            entryBytes[i] = byteIdsOf(entryTokens[i], entryIds[i]);
            tokenById[entryIds[i]] = entryTokens[i];
            bytesById[entryIds[i]] = entryBytes[i];
        }
    }

    private void checkSpecial(String name, int id, int maxId) {
        if (id < -1 || id > maxId) {
            throw new IllegalArgumentException(source + ": " + name + " id " + id + " is not in the vocabulary (ids 0.."
                    + maxId + ")");
        }
    }

    private int[] byteIdsOf(String token, int id) {
        if (id == eosId || id == bosId) {
            return new int[] {BolmoConfig.EOS_ID};
        }
        if (id == padId) {
            return new int[] {BolmoConfig.PAD_ID};
        }
        int special = BYTE_SPECIALS.indexOf(token);
        if (special >= 0) {
            return new int[] {special};
        }
        try {
            byte[] bytes = ByteUnicode.decode(token);
            int[] ids = new int[bytes.length];
            for (int k = 0; k < bytes.length; k++) {
                ids[k] = (bytes[k] & 0xFF) + BolmoConfig.BYTE_OFFSET;
            }
            return ids;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": id " + id + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code tokenizer.json}, a vocabulary JSON, or a directory holding {@code tokenizer.json}. */
    public static SubwordVocabulary load(Path path) {
        return SubwordVocabularyLoader.load(path);
    }

    /** Reads a Hugging Face byte-level BPE {@code tokenizer.json}; specials come from sibling config files. */
    public static SubwordVocabulary fromTokenizerJson(Path tokenizerJson) {
        return SubwordVocabularyLoader.fromTokenizerJson(tokenizerJson);
    }

    /**
     * Reads a JSON object token to id, such as {@code get_vocab()} output.
     *
     * @param specialTokensJson {@code {"eos_token_id", "pad_token_id", "bos_token_id", "special_tokens"}}, or null
     *                          to default EOS/PAD to {@link #DEFAULT_EOS}/{@link #DEFAULT_PAD} when present
     */
    public static SubwordVocabulary fromVocabJson(Path vocabJson, Path specialTokensJson) {
        return SubwordVocabularyLoader.fromVocabJson(vocabJson, specialTokensJson);
    }

    /**
     * Finds the subword vocabulary of a model: {@code override} if given, else {@code originalIdentifier}
     * ({@code tokenizer_config.original_identifier}) relative to {@code modelDir}, else {@code modelDir/tokenizer.json}
     * when it is a BPE tokenizer.
     *
     * @throws IllegalArgumentException listing every path tried
     */
    public static Path locate(Path modelDir, String originalIdentifier, Path override) {
        return SubwordVocabularyLoader.locate(modelDir, originalIdentifier, override);
    }

    /** Highest id + 1: the row count the subword embedding needs. */
    public int size() {
        return tokenById.length;
    }

    /** Number of (token, id) entries. */
    public int entryCount() {
        return entryTokens.length;
    }

    /** The id of {@code token}, or -1. */
    public int idOf(String token) {
        return idByToken.getOrDefault(token, -1);
    }

    /** The token of {@code id}, or null for an unused id. */
    public String token(int id) {
        return id >= 0 && id < tokenById.length ? tokenById[id] : null;
    }

    /** The byte-id sequence of {@code id} (a copy), or null for an unused id. */
    public int[] byteIds(int id) {
        int[] b = id >= 0 && id < bytesById.length ? bytesById[id] : null;
        return b == null ? null : b.clone();
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    /** -1 when the tokenizer has no BOS distinct from "none" (cl100k, the golden vocabulary). */
    public int bosId() {
        return bosId;
    }

    /** Strings the subword tokenizer matches whole inside text (its added tokens), specials included. */
    public List<String> addedTokens() {
        return addedTokens;
    }

    /**
     * Added-token strings that do not encode as their literal bytes (model.md §2.1): subword EOS and BOS to byte id 1,
     * PAD to 0. Every other added token keeps its literal bytes.
     */
    public Map<String, Integer> textSpecials() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int id : new int[] {padId, bosId, eosId}) {
            if (id >= 0 && tokenById[id] != null) {
                m.put(tokenById[id], bytesById[id][0]);
            }
        }
        return m;
    }

    public String source() {
        return source;
    }

    int[] entryIds() {
        return entryIds;
    }

    int[][] entryBytes() {
        return entryBytes;
    }

    @Override
    public String toString() {
        return "SubwordVocabulary[" + source + ", " + entryTokens.length + " entries, eos=" + eosId + ", pad=" + padId
                + ", bos=" + bosId + "]";
    }
}
