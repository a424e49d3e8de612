package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubwordVocabularyTest {

    @TempDir
    Path tmp;

    @Test
    void cl100kTokenizerJson() {
        SubwordVocabulary v = SubwordVocabulary.fromTokenizerJson(TestResources.CL100K);
        assertThat(v.size()).isEqualTo(8196);
        assertThat(v.entryCount()).isEqualTo(8196);
        assertThat(v.idOf("!")).isZero();
        assertThat(v.idOf("ĠĠ")).isEqualTo(256);
        assertThat(v.idOf("Ġthe")).isEqualTo(279);
        assertThat(v.idOf("Ġworld")).isEqualTo(1917);
        assertThat(v.idOf("Ċ")).isEqualTo(198);
        assertThat(v.idOf("no such token")).isEqualTo(-1);
        assertThat(v.token(8191)).isEqualTo("ĠInternet");
        assertThat(v.eosId()).isEqualTo(8192);
        assertThat(v.padId()).isEqualTo(8195);
        assertThat(v.bosId()).isEqualTo(-1);
        assertThat(v.addedTokens()).containsExactly("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>");
        assertThat(v.textSpecials()).containsOnly(entry("<|endoftext|>", 1), entry("<|pad|>", 0));
        // " the" -> 0x20 't' 'h' 'e', each + 4
        assertThat(v.byteIds(279)).containsExactly(36, 120, 108, 105);
        assertThat(v.byteIds(198)).containsExactly(14);
        assertThat(v.byteIds(8192)).containsExactly(1);
        assertThat(v.byteIds(8195)).containsExactly(0);
        assertThat(v.byteIds(8193)).containsExactly(bytesPlus4("<|im_start|>"));
    }

    @Test
    void goldenVocabAgreesWithCl100kOnSharedRanks() {
        SubwordVocabulary golden = TestResources.goldenVocab();
        SubwordVocabulary cl = SubwordVocabulary.fromTokenizerJson(TestResources.CL100K);
        assertThat(golden.size()).isEqualTo(4100);
        assertThat(golden.eosId()).isEqualTo(4096);
        assertThat(golden.padId()).isEqualTo(4099);
        assertThat(golden.bosId()).isEqualTo(-1);
        for (int id = 0; id < 4096; id++) {
            assertThat(golden.token(id)).isEqualTo(cl.token(id));
            assertThat(golden.byteIds(id)).isEqualTo(cl.byteIds(id));
        }
        assertThat(golden.byteIds(4097)).containsExactly(bytesPlus4("<|im_start|>"));
    }

    @Test
    void loadDetectsFormatAndSiblingSpecials() {
        SubwordVocabulary golden = SubwordVocabulary.load(TestResources.GOLDEN_VOCAB);
        assertThat(golden.eosId()).isEqualTo(4096);
        assertThat(golden.padId()).isEqualTo(4099);
        assertThat(golden.addedTokens()).contains("<|im_start|>", "<|im_end|>");
        SubwordVocabulary cl = SubwordVocabulary.load(TestResources.CL100K.getParent());
        assertThat(cl.eosId()).isEqualTo(8192);
    }

    @Test
    void vocabJsonWithoutSpecialsDefaultsByName() throws IOException {
        Path vocab = write("v.json", "{\"a\": 0, \"<|endoftext|>\": 1, \"<|pad|>\": 2}");
        SubwordVocabulary v = SubwordVocabulary.fromVocabJson(vocab, null);
        assertThat(v.eosId()).isEqualTo(1);
        assertThat(v.padId()).isEqualTo(2);
        assertThat(v.byteIds(1)).containsExactly(1);
        assertThat(v.byteIds(2)).containsExactly(0);
    }

    @Test
    void byteLevelSpecialKeysMapToTheirIds() {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        m.put("<pad>", 0);
        m.put("<bos>", 1);
        m.put("<eos>", 2);
        m.put("<bpe_token_end>", 3);
        m.put("x", 4);
        SubwordVocabulary v = SubwordVocabulary.of("test", m, List.of(), -1, -1, -1);
        for (int id = 0; id < 4; id++) {
            assertThat(v.byteIds(id)).containsExactly(id);
        }
        assertThat(v.byteIds(4)).containsExactly('x' + 4);
    }

    @Test
    void specialsFromTokenizerConfigStringOrContentObject() throws IOException {
        Path dir = copyCl100k("cfg");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"eos_token\": {\"content\": \"<|im_end|>\"}, \"bos_token\": \"<|im_start|>\", \"pad_token\": null}");
        SubwordVocabulary v = SubwordVocabulary.fromTokenizerJson(dir.resolve("tokenizer.json"));
        assertThat(v.eosId()).isEqualTo(8194);
        assertThat(v.bosId()).isEqualTo(8193);
        assertThat(v.padId()).isEqualTo(-1);
        assertThat(v.byteIds(8195)).containsExactly(bytesPlus4("<|pad|>"));
        assertThat(v.textSpecials()).containsOnly(entry("<|im_end|>", 1), entry("<|im_start|>", 1));
    }

    @Test
    void specialTokensMapIsUsedWhenNoTokenizerConfig() throws IOException {
        Path dir = copyCl100k("map");
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": \"<|im_end|>\"}");
        assertThat(SubwordVocabulary.fromTokenizerJson(dir.resolve("tokenizer.json")).eosId()).isEqualTo(8194);
    }

    @Test
    void unknownSpecialInTokenizerConfigIsNamed() throws IOException {
        Path dir = copyCl100k("bad");
        Path cfg = dir.resolve("tokenizer_config.json");
        Files.writeString(cfg, "{\"eos_token\": \"<|nope|>\"}");
        assertThatThrownBy(() -> SubwordVocabulary.fromTokenizerJson(dir.resolve("tokenizer.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<|nope|>")
                .hasMessageContaining("eos_token")
                .hasMessageContaining(cfg.toString());
    }

    @Test
    void unknownSpecialIdInSpecialTokensJsonIsNamed() throws IOException {
        Path specials = write("specials.json", "{\"eos_token_id\": 99999, \"pad_token_id\": null}");
        assertThatThrownBy(() -> SubwordVocabulary.fromVocabJson(TestResources.GOLDEN_VOCAB, specials))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eos_token_id = 99999")
                .hasMessageContaining(specials.toString());
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope/tokenizer.json");
        assertThatThrownBy(() -> SubwordVocabulary.fromTokenizerJson(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void malformedJsonIsNamed() throws IOException {
        Path bad = write("broken.json", "{\"model\": {\"type\": \"BPE\", ");
        assertThatThrownBy(() -> SubwordVocabulary.load(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void nonBpeTokenizerIsRejected() throws IOException {
        Path uni = write("tokenizer.json", "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
        assertThatThrownBy(() -> SubwordVocabulary.fromTokenizerJson(uni))
                .hasMessageContaining(uni.toString())
                .hasMessageContaining("\"Unigram\"")
                .hasMessageContaining("BPE");
    }

    @Test
    void nonIntegerIdAndNonByteLevelCharacterAreNamed() throws IOException {
        Path badId = write("ids.json", "{\"a\": 0, \"b\": \"one\"}");
        assertThatThrownBy(() -> SubwordVocabulary.fromVocabJson(badId, null))
                .hasMessageContaining("[\"b\"]")
                .hasMessageContaining("\"one\"");
        Path space = write("space.json", "{\"a\": 0, \"a b\": 1}");
        assertThatThrownBy(() -> SubwordVocabulary.fromVocabJson(space, null))
                .hasMessageContaining("\"a b\"")
                .hasMessageContaining("U+0020")
                .hasMessageContaining(space.toString());
    }

    private Path copyCl100k(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(TestResources.CL100K, dir.resolve("tokenizer.json"));
        return dir;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    static int[] bytesPlus4(String ascii) {
        return ascii.chars().map(c -> c + 4).toArray();
    }

    private static java.util.Map.Entry<String, Integer> entry(String k, int v) {
        return java.util.Map.entry(k, v);
    }
}
