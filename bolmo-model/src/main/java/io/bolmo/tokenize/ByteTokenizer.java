package io.bolmo.tokenize;

import static io.bolmo.config.BolmoConfig.BOS_ID;
import static io.bolmo.config.BolmoConfig.BYTE_OFFSET;
import static io.bolmo.config.BolmoConfig.PLAIN_VOCAB;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Text to Bolmo byte ids and back (model.md §2.1): {@code [1] + (utf8 + 4)}, where the subword
 * tokenizer's EOS/BOS and PAD strings become ids 1 and 0 and every other added token stays literal bytes.
 */
public final class ByteTokenizer {

    private static final String[] SPECIAL_NAMES = SubwordVocabulary.BYTE_SPECIALS.toArray(new String[0]);

    /** Added-token strings, longest first so that the longest match at a position wins. */
    private final List<String> added;
    private final Map<String, Integer> specialIds;
    /** First characters of the added tokens: a cheap filter before trying each token. */
    private final String firstChars;

    private ByteTokenizer(List<String> addedTokens, Map<String, Integer> specialIds) {
        List<String> sorted = new ArrayList<>(addedTokens);
        sorted.removeIf(String::isEmpty);
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.added = List.copyOf(sorted);
        this.specialIds = Map.copyOf(specialIds);
        StringBuilder first = new StringBuilder();
        for (String t : added) {
            if (first.indexOf(t.substring(0, 1)) < 0) {
                first.append(t.charAt(0));
            }
        }
        this.firstChars = first.toString();
    }

    /** Encodes like the reference tokenizer over {@code vocab}'s subword tokenizer. */
    public static ByteTokenizer of(SubwordVocabulary vocab) {
        return new ByteTokenizer(vocab.addedTokens(), vocab.textSpecials());
    }

    /** Plain UTF-8 with no special strings, for models without a subword vocabulary. */
    public static ByteTokenizer plain() {
        return new ByteTokenizer(List.of(), Map.of());
    }

    /** Byte ids of {@code text} with a leading BOS. */
    public int[] encode(String text) {
        return encode(text, true);
    }

    public int[] encode(String text, boolean addBos) {
        IntList out = new IntList(text.length() + 1);
        if (addBos) {
            out.add(BOS_ID);
        }
        int literalStart = 0;
        int i = 0;
        while (i < text.length()) {
            String match = addedTokenAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            Integer id = specialIds.get(match);
            if (id != null) {
                appendUtf8(out, text.substring(literalStart, i));
                out.add(id);
                literalStart = i + match.length();
            }
            // A literal added token is still consumed whole, so no added token can start inside it.
            i += match.length();
        }
        appendUtf8(out, text.substring(literalStart));
        return out.toArray();
    }

    private String addedTokenAt(String text, int i) {
        if (firstChars.indexOf(text.charAt(i)) < 0) {
            return null;
        }
        for (String t : added) {
            if (text.startsWith(t, i)) {
                return t;
            }
        }
        return null;
    }

    private static void appendUtf8(IntList out, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.add((b & 0xFF) + BYTE_OFFSET);
        }
    }

    /** The byte id of raw byte {@code b} (0..255). */
    public static int byteId(int b) {
        return (b & 0xFF) + BYTE_OFFSET;
    }

    /** Drops the fused boundary flag: ids >= 260 become id - 260. */
    public static int toPlain(int id) {
        return id >= PLAIN_VOCAB ? id - PLAIN_VOCAB : id;
    }

    /** The byte a plain or fused id stands for (0..255), or -1 for a special id. */
    public static int byteOf(int id) {
        int plain = toPlain(id);
        // The reference clamps with min(id - 4, 255): padding rows 520..639 decode as byte 255.
        return plain < BYTE_OFFSET ? -1 : Math.min(plain - BYTE_OFFSET, 255);
    }

    /**
     * Bytes of plain or fused ids. Special ids are dropped when {@code skipSpecialTokens}, else written as their names
     * ({@code <bos>}, ...).
     */
    public static byte[] decodeBytes(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0) {
                throw new IllegalArgumentException("byte id " + id + " at index " + i + " is invalid: ids are >= 0");
            }
            int b = byteOf(id);
            if (b >= 0) {
                out.write(b);
            } else if (!skipSpecialTokens) {
                out.writeBytes(SPECIAL_NAMES[toPlain(id)].getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /** Text of plain or fused ids, invalid UTF-8 replaced by U+FFFD; special ids skipped. */
    public static String decode(int[] ids) {
        return decode(ids, true);
    }

    public static String decode(int[] ids, boolean skipSpecialTokens) {
        return new String(decodeBytes(ids, skipSpecialTokens), StandardCharsets.UTF_8);
    }

    /** Growable int array; avoids boxing a List per byte. */
    private static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
