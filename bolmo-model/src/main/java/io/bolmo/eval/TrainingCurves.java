package io.bolmo.eval;

import io.bolmo.train.MetricsHistory;
import io.bolmo.train.StepMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The training curves of a byteifying run (Stage 1 then Stage 2 on one step axis): losses, boundary accuracy and
 * F1, bits per byte, bytes per patch. Per-step values of a small batch are noisy, so each curve is a trailing
 * moving average over {@code smooth} steps.
 */
public final class TrainingCurves {

    /** One stage's history under a label such as "stage 1". */
    public record Run(String label, MetricsHistory history) {}

    private TrainingCurves() {}

    public static Figure figure(List<Run> runs, int smooth) {
        if (smooth < 1) {
            throw new IllegalArgumentException("smooth = " + smooth + " must be >= 1 (steps per moving average)");
        }
        Chart losses = new Chart("Training losses (moving average of " + smooth + " steps)", "step", "loss");
        Chart boundary = new Chart("Boundary prediction vs the subword tokenizer", "step", "");
        Chart bpb = new Chart("Bits per byte (training batches)", "step", "bits/byte");
        Chart patch = new Chart("Mean bytes per patch", "step", "bytes");
        long offset = 0;
        for (Run run : runs) {
            List<StepMetrics> m = run.history().steps();
            String p = runs.size() > 1 ? run.label() + " " : "";
            if (anyNonZero(m, StepMetrics::encoder)) {
                losses.line(p + "L_enc", steps(m, offset), smoothed(m, StepMetrics::encoder, smooth));
            }
            losses.line(p + "L_CE", steps(m, offset), smoothed(m, StepMetrics::crossEntropy, smooth));
            losses.line(p + "4 L_bnd", steps(m, offset), smoothed(m, s -> 4 * s.boundary(), smooth));
            boundary.line(p + "accuracy", steps(m, offset), smoothed(m, StepMetrics::boundaryAccuracy, smooth));
            boundary.line(p + "F1", steps(m, offset), smoothed(m, StepMetrics::boundaryF1, smooth));
            bpb.line(run.label(), steps(m, offset), smoothed(m, StepMetrics::bitsPerByte, smooth));
            patch.line(run.label(), steps(m, offset), smoothed(m, StepMetrics::bytesPerPatch, smooth));
            offset += m.isEmpty() ? 0 : m.get(m.size() - 1).step();
        }
        return new Figure(List.of(losses, boundary, bpb, patch), 2, 620, 380);
    }

    private static boolean anyNonZero(List<StepMetrics> m, ToDoubleFunction<StepMetrics> f) {
        return m.stream().anyMatch(s -> f.applyAsDouble(s) != 0);
    }

    private static double[] steps(List<StepMetrics> m, long offset) {
        return m.stream().mapToDouble(s -> s.step() + offset).toArray();
    }

    /** Trailing moving average: value i is the mean of values max(0, i-w+1)..i. */
    static double[] smoothed(List<StepMetrics> m, ToDoubleFunction<StepMetrics> f, int w) {
        double[] out = new double[m.size()];
        double sum = 0;
        List<Double> raw = new ArrayList<>(m.size());
        for (int i = 0; i < m.size(); i++) {
            double v = f.applyAsDouble(m.get(i));
            raw.add(v);
            sum += v;
            if (i >= w) {
                sum -= raw.get(i - w);
            }
            out[i] = sum / Math.min(i + 1, w);
        }
        return out;
    }
}
