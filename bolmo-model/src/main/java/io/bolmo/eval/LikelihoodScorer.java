package io.bolmo.eval;

/** A model's log-likelihood (nats) of a text continuation after a prompt (model.md §10.2, ranked-choice scoring). */
@FunctionalInterface
public interface LikelihoodScorer {

    /** ln P(continuation | prompt), summed over the continuation only; the prompt is not scored. */
    double logLikelihood(String prompt, String continuation);
}
