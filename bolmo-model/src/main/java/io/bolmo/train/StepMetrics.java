package io.bolmo.train;

import java.util.Locale;

/**
 * What one training step reports: each loss term, the predicted boundaries against the tokenizer's, bits per byte,
 * the optimizer's gradient norm and learning rate, throughput. Terms a stage or run does not use are 0.
 *
 * @param bytes   real (non-padding) bytes, or tokens for the subword teacher, the step trained on
 * @param seconds wall time of the step
 */
public record StepMetrics(long step, Losses losses, Boundaries boundaries, double bitsPerByte, double gradNorm,
        double learningRate, long bytes, double seconds) {

    /** The loss terms (§6-§7, nats per byte): {@code total} is what the optimizer minimised. */
    public record Losses(double total, double encoder, double crossEntropy, double distillation, double boundary) {

        /** A plain next-token loss (the subword teacher): total = cross-entropy, no other term. */
        public static Losses crossEntropyOnly(double loss) {
            return new Losses(loss, 0, loss, 0, 0);
        }
    }

    /** The predicted boundaries against the tokenizer's: accuracy, F1, and the mean patch length they give. */
    public record Boundaries(double accuracy, double f1, double bytesPerPatch) {

        /** A run without patches (the subword teacher). */
        public static final Boundaries NONE = new Boundaries(0, 0, 0);
    }

    public double bytesPerSecond() {
        return seconds == 0 ? 0 : bytes / seconds;
    }

    /** One log line. */
    public String format() {
        return String.format(Locale.ROOT,
                "step %d loss %.4f (enc %.4f ce %.4f distill %.4f bnd %.4f) bnd-acc %.4f bnd-F1 %.4f bpb %.4f "
                        + "bytes/patch %.2f |g| %.3f lr %.2e %.0f B/s",
                step, losses.total, losses.encoder, losses.crossEntropy, losses.distillation, losses.boundary,
                boundaries.accuracy, boundaries.f1, bitsPerByte, boundaries.bytesPerPatch, gradNorm, learningRate,
                bytesPerSecond());
    }
}
