package io.bolmo.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation's results and their Markdown table, teacher next to Bolmo on every metric (model.md §10).
 *
 * @param title   heading (which models)
 * @param notes   lines printed above the table (data, conventions)
 * @param heldOut likelihood and boundaries
 * @param tasks   per-task accuracies, in task order
 */
public record EvalReport(String title, List<String> notes, HeldOutResult heldOut, Map<CharTask, TaskResult> tasks) {

    private static final String NONE = "—";

    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(title).append("\n\n");
        for (String n : notes) {
            b.append("- ").append(n).append('\n');
        }
        b.append('\n');
        b.append("| metric | teacher | Bolmo |\n|---|---:|---:|\n");
        HeldOutResult h = heldOut;
        row(b, "bits per byte (held-out)", fmt(h.teacherBitsPerByte(), 4), fmt(h.bolmoBitsPerByte(), 4));
        row(b, "boundary precision", NONE, fmt(h.boundaries().precision(), 4));
        row(b, "boundary recall", NONE, fmt(h.boundaries().recall(), 4));
        row(b, "boundary F1", NONE, fmt(h.boundaries().f1(), 4));
        row(b, "bytes per patch (teacher: per token)", fmt(h.bytesPerToken(), 3), fmt(h.bolmoBytesPerPatch(), 3));
        double teacherSum = 0;
        double bolmoSum = 0;
        for (Map.Entry<CharTask, TaskResult> e : tasks.entrySet()) {
            TaskResult t = e.getValue();
            row(b, "CUTE " + e.getKey().label() + " accuracy (n=" + t.items() + ")", fmt(t.teacher(), 3),
                    fmt(t.bolmo(), 3));
            teacherSum += t.teacher();
            bolmoSum += t.bolmo();
        }
        if (!tasks.isEmpty()) {
            row(b, "CUTE mean accuracy", fmt(teacherSum / tasks.size(), 3), fmt(bolmoSum / tasks.size(), 3));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String metric, String teacher, String bolmo) {
        b.append("| ").append(metric).append(" | ").append(teacher).append(" | ").append(bolmo).append(" |\n");
    }

    static String fmt(double v, int digits) {
        return Double.isNaN(v) ? NONE : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
