package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubwordSuffixTrieTest {

    private static final SubwordVocabulary GOLDEN = TestResources.goldenVocab();
    private static final SubwordSuffixTrie TRIE = SubwordSuffixTrie.build(GOLDEN);

    private static int[] ids(String s) {
        return ByteTokenizer.plain().encode(s, false);
    }

    @Test
    void longestSuffixEntryWins() {
        // "Ġthe" is a token (279), so the last byte of " the" expands to it, not to "e" or "he".
        int[] x = ids(" the");
        assertThat(TRIE.expandAt(x, 3)).isEqualTo(279);
        assertThat(TRIE.expandAt(x, 0)).isEqualTo(GOLDEN.idOf("Ġ"));
        assertThat(TRIE.maxDepth()).isGreaterThan(4);
    }

    @Test
    void bosExpandsToSubwordEosAndPadToSubwordPad() {
        assertThat(TRIE.expand(new int[] {1, 0})).containsExactly(4096, 4099);
    }

    @Test
    void skipsBpeTokenEndAndMapsFusedIds() {
        int[] plain = ids(" the");
        int[] mixed = {plain[0] + 260, 3, plain[1], 3, 3, plain[2] + 260, plain[3]};
        assertThat(TRIE.expandAt(mixed, 6)).isEqualTo(279);
        assertThat(TRIE.expandAt(mixed, 4)).isEqualTo(TRIE.expandAt(mixed, 2));
        assertThat(TRIE.cursor().pushAll(mixed)).containsExactly(TRIE.expand(mixed));
    }

    @Test
    void noMatchForIdsWithoutEntry() {
        // id 2 (<eos>) has no vocabulary entry; ids >= 520 map to >= 260, which is no edge at all.
        assertThat(TRIE.expand(new int[] {2, 3, 600})).containsExactly(
                SubwordSuffixTrie.NO_MATCH, SubwordSuffixTrie.NO_MATCH, SubwordSuffixTrie.NO_MATCH);
        // a missing edge stops the walk: the byte before id 2 is not consulted
        assertThat(TRIE.expand(new int[] {'a' + 4, 2, 'b' + 4})[2]).isEqualTo(GOLDEN.idOf("b"));
    }

    @Test
    void laterEntryWithSameBytesOverwrites() {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        m.put("a", 0);
        m.put("<|endoftext|>", 1);
        m.put("<bos>", 2);
        SubwordSuffixTrie t = SubwordSuffixTrie.build(SubwordVocabulary.of("t", m, List.of(), 1, -1, -1));
        assertThat(t.expand(new int[] {1})).containsExactly(2);

        LinkedHashMap<String, Integer> r = new LinkedHashMap<>();
        r.put("<bos>", 2);
        r.put("a", 0);
        r.put("<|endoftext|>", 1);
        SubwordSuffixTrie u = SubwordSuffixTrie.build(SubwordVocabulary.of("u", r, List.of(), 1, -1, -1));
        assertThat(u.expand(new int[] {1})).containsExactly(1);
    }

    @Test
    void cursorMatchesBatchOnRandomSequences() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int[] x = new int[1 + rnd.nextInt(80)];
            for (int i = 0; i < x.length; i++) {
                int r = rnd.nextInt(10);
                // mostly ASCII letters/space so long tokens match, plus specials and fused ids
                x[i] = r < 6 ? " etaoinshr".charAt(rnd.nextInt(10)) + 4 : r < 7 ? rnd.nextInt(4)
                        : r < 9 ? rnd.nextInt(520) : " etaoin".charAt(rnd.nextInt(7)) + 264;
            }
            SubwordSuffixTrie.Cursor c = TRIE.cursor();
            assertThat(c.pushAll(x)).containsExactly(TRIE.expand(x));
            c.reset();
            assertThat(c.push(x[0])).isEqualTo(TRIE.expandAt(x, 0));
        }
    }

    @Test
    void buildsAHundredThousandEntryVocabularyAndFindsItsLastToken() {
        Random rnd = new Random(1);
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            m.put(String.valueOf(ByteUnicode.toChar(b)), b);
        }
        StringBuilder sb = new StringBuilder();
        while (m.size() < 100_278) {
            sb.setLength(0);
            int len = 2 + rnd.nextInt(10);
            for (int k = 0; k < len; k++) {
                sb.append(ByteUnicode.toChar(rnd.nextInt(256)));
            }
            m.putIfAbsent(sb.toString(), m.size());
        }
        // the build's speed is not asserted here (no timed unit tests); it is part of loading any model
        SubwordVocabulary v = SubwordVocabulary.of("synthetic", m, List.of(), -1, -1, -1);
        SubwordSuffixTrie t = SubwordSuffixTrie.build(v);
        String last = v.token(100_277);
        int[] seq = v.byteIds(100_277);
        assertThat(t.expandAt(seq, seq.length - 1)).as(last).isEqualTo(100_277);
    }
}
