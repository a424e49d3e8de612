package io.bolmo.plot;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.bolmo.train.MetricsLog;
import java.util.List;

/**
 * The curves of a training run from its {@link MetricsLog} ({@code metrics.jsonl}), stages one after another on one
 * step axis: losses, boundary accuracy and F1, bits per byte (training batches, and held-out points where the run
 * evaluated), bytes per patch. Per-step values of a small batch are noisy, so each training curve is a trailing
 * moving average over {@code smooth} steps ({@link Chart#movingAverage}).
 */
public final class TrainingCurves {

    /** One stage's log entries under a label such as "stage 1". */
    public record Run(String label, List<JsonObject> entries) {}

    private TrainingCurves() {}

    public static Figure figure(List<Run> runs, int smooth) {
        if (smooth < 1) {
            throw new IllegalArgumentException("smooth = " + smooth + " must be >= 1 (steps per moving average)");
        }
        Chart losses = new Chart("Training losses (moving average of " + smooth + " steps)", "step", "loss")
                .padded(0.03);
        Chart boundary = new Chart("Boundary prediction vs the subword tokenizer", "step", "").padded(0.03);
        Chart bpb = new Chart("Bits per byte", "step", "bits/byte").padded(0.03);
        Chart patch = new Chart("Mean bytes per patch", "step", "bytes").padded(0.03);
        long offset = 0;
        for (Run run : runs) {
            List<JsonObject> train = run.entries().stream().filter(e -> kind(e, "train")).toList();
            List<JsonObject> eval = run.entries().stream().filter(e -> kind(e, "eval")).toList();
            String p = runs.size() > 1 ? run.label() + " " : "";
            double[] x = steps(train, offset);
            for (String[] loss : new String[][] {{"enc", "L_enc"}, {"ce", "L_CE"}, {"bnd", "L_bnd"}}) {
                if (train.stream().anyMatch(e -> value(e, loss[0]) != 0)) {
                    losses.movingAverage(p + loss[1], x, values(train, loss[0]), smooth);
                }
            }
            if (train.stream().anyMatch(e -> value(e, "bnd_f1") != 0)) {
                boundary.movingAverage(p + "accuracy", x, values(train, "bnd_acc"), smooth);
                boundary.movingAverage(p + "F1", x, values(train, "bnd_f1"), smooth);
                patch.movingAverage(run.label(), x, values(train, "bytes_per_patch"), smooth);
            }
            bpb.movingAverage(run.label() + " (training)", x, values(train, "bpb"), smooth);
            if (!eval.isEmpty()) {
                bpb.points(run.label() + " (held-out)", steps(eval, offset), values(eval, "bpb"));
            }
            offset += train.isEmpty() ? 0 : (long) value(train.get(train.size() - 1), "step");
        }
        return new Figure(List.of(losses, boundary, bpb, patch), 2, 620, 380);
    }

    private static boolean kind(JsonObject e, String kind) {
        return e.has("kind") && kind.equals(e.get("kind").getAsString());
    }

    private static double value(JsonObject e, String key) {
        JsonElement v = e.get(key);
        return v == null || v.isJsonNull() ? Double.NaN : v.getAsDouble();
    }

    private static double[] values(List<JsonObject> entries, String key) {
        return entries.stream().mapToDouble(e -> value(e, key)).toArray();
    }

    private static double[] steps(List<JsonObject> entries, long offset) {
        return entries.stream().mapToDouble(e -> value(e, "step") + offset).toArray();
    }
}
