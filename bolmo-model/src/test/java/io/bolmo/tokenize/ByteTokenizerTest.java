package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private static final SubwordVocabulary CL100K = SubwordVocabulary.fromTokenizerJson(TestResources.CL100K);
    private static final ByteTokenizer TOKENIZER = ByteTokenizer.of(CL100K);

    private static int[] plus4(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (b[i] & 0xFF) + 4;
        }
        return out;
    }

    @Test
    void utf8PlusFourWithBos() {
        assertThat(TOKENIZER.encode("hé🙂")).containsExactly(1, 'h' + 4, 0xC3 + 4, 0xA9 + 4, 0xF0 + 4, 0x9F + 4,
                0x99 + 4, 0x82 + 4);
        assertThat(TOKENIZER.encode("hi", false)).containsExactly('h' + 4, 'i' + 4);
        assertThat(TOKENIZER.encode("")).containsExactly(1);
    }

    @Test
    void subwordEosAndPadStringsBecomeSpecialIds() {
        assertThat(TOKENIZER.encode("a<|endoftext|>b<|pad|>", false)).containsExactly('a' + 4, 1, 'b' + 4, 0);
        assertThat(TOKENIZER.encode("<|endoftext|><|endoftext|>")).containsExactly(1, 1, 1);
    }

    @Test
    void otherSpecialStringsStayLiteral() {
        String chat = "<|im_start|>user\nHi<|im_end|>";
        assertThat(TOKENIZER.encode(chat, false)).containsExactly(plus4(chat));
        // an added token is consumed whole, so an EOS string cannot be found inside it
        ByteTokenizer t = ByteTokenizer.of(SubwordVocabulary.of("t", linked("<|endoftext|>", 0, "x<|endoftext|>", 1),
                List.of("<|endoftext|>", "x<|endoftext|>"), 0, -1, -1));
        assertThat(t.encode("x<|endoftext|>", false)).containsExactly(plus4("x<|endoftext|>"));
    }

    @Test
    void plainTokenizerKeepsEverythingLiteral() {
        assertThat(ByteTokenizer.plain().encode("<|endoftext|>", false)).containsExactly(plus4("<|endoftext|>"));
    }

    @Test
    void agreesWithTheHuggingFaceSubwordTokenizer() {
        // The reference builds byte ids by concatenating the byte sequences of the subword tokens (model.md §2.1).
        try (HfSubwordEncoder hf = HfSubwordEncoder.open(TestResources.CL100K)) {
            for (String text : List.of("The quick brown fox.", "naïve café — 日本語 🙂", "a<|endoftext|>b",
                    "<|im_start|>user\nHi!<|im_end|>\n<|pad|>", "  spaces\t\ttabs\n\n")) {
                int[] sub = hf.encode(text);
                int n = 0;
                int[] concat = new int[text.length() * 4 + 1];
                concat[n++] = 1;
                for (int id : sub) {
                    for (int b : CL100K.byteIds(id)) {
                        concat[n++] = b;
                    }
                }
                assertThat(TOKENIZER.encode(text)).as(text).containsExactly(java.util.Arrays.copyOf(concat, n));
            }
        }
    }

    @Test
    void decodeHandlesFusedAndSpecialIds() {
        int[] ids = {1, 'h' + 4, 'i' + 264, 260, 3, 0x20 + 4};
        assertThat(ByteTokenizer.decode(ids)).isEqualTo("hi ");
        assertThat(ByteTokenizer.decode(ids, false)).isEqualTo("<bos>hi<pad><bpe_token_end> ");
        assertThat(ByteTokenizer.decodeBytes(new int[] {0xFF + 4, 600}, true))
                .containsExactly((byte) 0xFF, (byte) 0xFF);
        assertThat(ByteTokenizer.byteOf(263)).isEqualTo(-1);
        assertThat(ByteTokenizer.byteOf(264)).isZero();
        assertThat(ByteTokenizer.toPlain(519)).isEqualTo(259);
        assertThat(ByteTokenizer.byteId(0xFF)).isEqualTo(259);
        assertThatThrownBy(() -> ByteTokenizer.decode(new int[] {5, -2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2").hasMessageContaining("1");
    }

    @Test
    void roundTrip() {
        String s = "Bolmo — バイト 🙂\n";
        assertThat(ByteTokenizer.decode(TOKENIZER.encode(s))).isEqualTo(s);
    }

    private static java.util.LinkedHashMap<String, Integer> linked(String a, int ia, String b, int ib) {
        java.util.LinkedHashMap<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put(a, ia);
        m.put(b, ib);
        return m;
    }
}
