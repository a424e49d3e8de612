package io.bolmo.eval;

import java.util.List;

/**
 * One ranked-choice character-task item (model.md §10.2).
 *
 * @param task       which task
 * @param word       the held-out word it is built from
 * @param prompt     the text both models read (each tokenizes it its own way)
 * @param candidates the answers, the correct one exactly once, in a seeded random order
 * @param correct    index of the correct answer in {@code candidates}
 */
public record TaskExample(CharTask task, String word, String prompt, List<String> candidates, int correct) {

    public TaskExample {
        candidates = List.copyOf(candidates);
        if (correct < 0 || correct >= candidates.size()) {
            throw new IllegalArgumentException("correct = " + correct + " is not an index of " + candidates);
        }
    }

    /** The scored continuation of candidate {@code i}: the answer and the closing quote. */
    public String continuation(int i) {
        return candidates.get(i) + "\"";
    }
}
