package io.bolmo.eval;

import java.util.List;

/**
 * Ranked-choice scoring (model.md §10.2, the "rc" format): a model answers an item with the candidate whose
 * continuation it finds most likely after the prompt (summed log-likelihood, not length-normalised); ties go to the
 * earlier candidate, and candidate order is seeded-random, so ties favour no answer.
 */
public final class TaskRanking {

    private TaskRanking() {}

    /** Index of the candidate with the highest log-likelihood. */
    public static int pick(LikelihoodScorer scorer, TaskExample item) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < item.candidates().size(); i++) {
            double s = scorer.logLikelihood(item.prompt(), item.continuation(i));
            if (Double.isNaN(s)) {
                throw new IllegalStateException("log-likelihood of candidate \"" + item.candidates().get(i)
                        + "\" is NaN");
            }
            if (s > bestScore) {
                best = i;
                bestScore = s;
            }
        }
        return best;
    }

    /** Items answered correctly. */
    public static int correct(LikelihoodScorer scorer, List<TaskExample> items) {
        int right = 0;
        for (TaskExample item : items) {
            right += pick(scorer, item) == item.correct() ? 1 : 0;
        }
        return right;
    }

    /** Fraction of items answered correctly. */
    public static double accuracy(LikelihoodScorer scorer, List<TaskExample> items) {
        return items.isEmpty() ? Double.NaN : (double) correct(scorer, items) / items.size();
    }
}
