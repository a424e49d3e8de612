package io.bolmo.eval;

/**
 * Accuracy of both models on one character task (model.md §10.2).
 *
 * @param items   items scored
 * @param teacher teacher accuracy (NaN without a teacher)
 * @param bolmo   Bolmo accuracy
 */
public record TaskResult(int items, double teacher, double bolmo) {
}
