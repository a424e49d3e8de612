package io.bolmo.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Distinct lower-cased words of held-out documents (runs of letters, any script, by code point), in first-seen
 * order: the material of the character tasks (model.md §10.2), so no task word comes from the training split.
 */
public final class WordList {

    private WordList() {}

    public static List<String> of(List<String> texts, int minLetters, int maxLetters) {
        Set<String> words = new LinkedHashSet<>();
        for (String text : texts) {
            for (String w : text.split("[^\\p{L}]+")) {
                int n = w.codePointCount(0, w.length());
                String lower = w.toLowerCase(Locale.ROOT);
                // lower-casing can add combining marks (İ → i̇); keep letters only
                if (n >= minLetters && n <= maxLetters && lower.codePoints().allMatch(Character::isLetter)) {
                    words.add(lower);
                }
            }
        }
        return new ArrayList<>(words);
    }
}
