package io.bolmo.train;

/**
 * What one training step reports (issue: each loss term, boundary accuracy and F1 against the tokenizer, bits
 * per byte, bytes per patch, throughput). Loss terms not used by a stage are 0.
 */
public record StepMetrics(long step, double total, double encoder, double crossEntropy, double distillation,
        double boundary, double boundaryAccuracy, double boundaryF1, double bitsPerByte, double bytesPerPatch,
        double gradNorm, double learningRate, long bytes, double seconds) {

    public double bytesPerSecond() {
        return seconds == 0 ? 0 : bytes / seconds;
    }

    /** One log line. */
    public String format() {
        return String.format(java.util.Locale.ROOT,
                "step %d loss %.4f (enc %.4f ce %.4f distill %.4f bnd %.4f) bnd-acc %.4f bnd-F1 %.4f bpb %.4f "
                        + "bytes/patch %.2f |g| %.3f lr %.2e %.0f B/s",
                step, total, encoder, crossEntropy, distillation, boundary, boundaryAccuracy, boundaryF1, bitsPerByte,
                bytesPerPatch, gradNorm, learningRate, bytesPerSecond());
    }
}
