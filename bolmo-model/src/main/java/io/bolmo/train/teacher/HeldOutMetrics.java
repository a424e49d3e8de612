package io.bolmo.train.teacher;

/**
 * Next-token quality on held-out documents.
 *
 * @param loss        mean cross-entropy per predicted token, in nats
 * @param bitsPerByte Σ cross-entropy / (ln 2 · Σ UTF-8 bytes of the predicted tokens; EOS counts 0 bytes), the
 *                    tokenizer-independent figure a byte-level model is compared on
 * @param tokens      predicted tokens
 * @param bytes       their UTF-8 bytes
 */
public record HeldOutMetrics(double loss, double bitsPerByte, long tokens, long bytes) {
}
