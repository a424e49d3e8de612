package io.bolmo.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Does a reply loop? The measure behind the chat defaults (docs/evaluation.md, "Repetition"): a reply loops when some
 * span of {@code span} bytes occurs {@code times} or more times without overlapping (counted left to right), e.g. a
 * 20-byte span 3 times. Legitimate repeats of a small model's text ("the Commission", "Mr President") are shorter
 * than 20 bytes or occur twice at most in a few hundred bytes; a decoding loop repeats a long span over and over.
 */
public final class Repetition {

    private Repetition() {}

    /** Whether {@code text} holds a {@code span}-byte span at {@code times} or more non-overlapping positions. */
    public static boolean loops(byte[] text, int span, int times) {
        if (span < 1 || times < 2) {
            throw new IllegalArgumentException("span = " + span + ", times = " + times
                    + " is invalid: span must be >= 1 and times >= 2");
        }
        Map<String, int[]> seen = new HashMap<>(); // span → {count, end of its last counted occurrence}
        for (int i = 0; i + span <= text.length; i++) {
            String key = new String(text, i, span, java.nio.charset.StandardCharsets.ISO_8859_1);
            int[] s = seen.computeIfAbsent(key, k -> new int[] {0, -1});
            if (i >= s[1]) {
                s[0]++;
                s[1] = i + span;
                if (s[0] >= times) {
                    return true;
                }
            }
        }
        return false;
    }
}
