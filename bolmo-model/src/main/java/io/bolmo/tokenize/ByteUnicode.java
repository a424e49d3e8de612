package io.bolmo.tokenize;

import java.util.Arrays;

/**
 * GPT-2 byte&lt;-&gt;unicode alphabet (model.md §2.2, §2.1): byte-level BPE vocabularies spell every byte as one
 * printable character, so token strings can be mapped back to bytes one character at a time.
 */
public final class ByteUnicode {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by char; the table's chars all lie below 0x144. */
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteUnicode() {}

    /** The character that spells byte {@code b} (0..255; a Java byte is taken unsigned). */
    public static char toChar(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte (0..255) that {@code c} spells, or -1 when {@code c} is not in the alphabet. */
    public static int toByte(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Spells raw bytes in the alphabet, e.g. {@code " hi"} becomes {@code "Ġhi"}. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = toChar(bytes[i]);
        }
        return new String(out);
    }

    /** Inverse of {@link #encode}; throws naming the string and the first character outside the alphabet. */
    public static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = toByte(token.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException(String.format(
                        "token \"%s\" has character U+%04X at index %d, which is not in the GPT-2 byte alphabet",
                        token, (int) token.charAt(i), i));
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
