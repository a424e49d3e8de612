package io.bolmo.eval;

/**
 * What one Bolmo pass over BOS + n bytes yields for those n bytes.
 *
 * @param logprobs  ln P(byte i | BOS, bytes &lt; i) with the boundary flag marginalised (model.md §5.5)
 * @param predicted the predictor's hard decision β for byte i (1 = byte i ends a patch, model.md §4.2)
 */
public record ByteScores(float[] logprobs, int[] predicted) {
}
