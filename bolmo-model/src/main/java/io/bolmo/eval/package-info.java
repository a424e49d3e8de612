/**
 * Evaluation of a byteified Bolmo against its subword teacher (model.md §5.5, §4.3, §10): held-out bits per byte with
 * the boundary flag marginalised, boundary precision/recall/F1 against the subword tokenizer, and CUTE-style
 * character tasks scored by ranking candidate answers by log-likelihood. The {@code bolmo eval} command is the
 * front end.
 */
package io.bolmo.eval;
