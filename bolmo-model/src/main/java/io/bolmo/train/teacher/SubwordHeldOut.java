package io.bolmo.train.teacher;

/**
 * A subword model's next-token quality on held-out documents (the byte-level run's counterpart is
 * {@link io.bolmo.train.HeldOutMetrics}, which {@link PretrainRun#evaluate()} converts this to for the driver).
 *
 * @param loss        mean cross-entropy per predicted token, in nats
 * @param bitsPerByte Σ cross-entropy / (ln 2 · Σ UTF-8 bytes of the predicted tokens; EOS counts 0 bytes), the
 *                    tokenizer-independent figure a byte-level model is compared on
 * @param tokens      predicted tokens
 * @param bytes       their UTF-8 bytes
 */
public record SubwordHeldOut(double loss, double bitsPerByte, long tokens, long bytes) {
}
