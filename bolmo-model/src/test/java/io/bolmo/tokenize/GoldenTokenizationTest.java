package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden parity of model.md §2.1/§2.2: every text of both tiny models. */
class GoldenTokenizationTest {

    private static final SubwordVocabulary VOCAB = TestResources.goldenVocab();
    private static final SubwordSuffixTrie TRIE = SubwordSuffixTrie.build(VOCAB);
    private static final ByteTokenizer TOKENIZER = ByteTokenizer.of(VOCAB);

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String model : List.of("tiny-olmo2", "tiny-olmo3")) {
            String json = Files.readString(TestResources.path("golden/" + model + "/cases.json"));
            for (var e : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("texts")) {
                JsonObject c = e.getAsJsonObject();
                out.add(Arguments.of(model + "/" + c.get("id").getAsString(), c));
            }
        }
        return out.stream();
    }

    @Test
    void bothModelsHaveSevenTexts() throws IOException {
        assertThat(cases()).hasSize(14);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputIdsMatch(String name, JsonObject c) {
        assertThat(TOKENIZER.encode(c.get("text").getAsString())).containsExactly(ints(c, "input_ids"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void expandedIdsMatch(String name, JsonObject c) {
        int[] input = ints(c, "input_ids");
        assertThat(TRIE.expand(input)).containsExactly(ints(c, "expanded_subword_ids"));
        assertThat(TRIE.cursor().pushAll(input)).containsExactly(ints(c, "expanded_subword_ids"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generationExpansionAndDecodeMatch(String name, JsonObject c) {
        JsonObject gen = c.getAsJsonObject("generation");
        if (!gen.has("output_ids")) {
            // single_char: the reference generate() itself fails on a 2-id prompt, so there is nothing to compare.
            assertThat(gen.get("reference_error").getAsString()).contains("IndexError");
            return;
        }
        int[] output = ints(gen, "output_ids");
        int[] expected = ints(gen, "expanded_subword_ids_of_output");
        assertThat(TRIE.expand(output)).containsExactly(expected);

        SubwordSuffixTrie.Cursor cursor = TRIE.cursor();
        for (int i = 0; i < output.length; i++) {
            int incremental = cursor.push(output[i]);
            assertThat(incremental).as("position %d", i).isEqualTo(TRIE.expandAt(output, i)).isEqualTo(expected[i]);
        }
        String hex = gen.get("full_decoded_bytes_hex").getAsString();
        assertThat(ByteTokenizer.decodeBytes(output, true)).containsExactly(HexFormat.of().parseHex(hex));
        assertThat(ByteTokenizer.decode(output))
                .isEqualTo(gen.get("full_decoded_text_utf8_replace").getAsString());
    }

    static int[] ints(JsonObject o, String field) {
        JsonArray a = o.getAsJsonArray(field);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }
}
