package io.bolmo.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a grid of training runs (a sweep): one figure per reported metric against the first grid
 * parameter, one line per combination of the others. Values that are not numbers are placed at their index.
 */
public final class SweepChart {

    /** One run of the grid: its value of each grid parameter (in key order) and its figures (NaN: none). */
    public record Point(List<String> values, double bitsPerByte, double boundaryF1) {}

    private SweepChart() {}

    /** Writes the PNG (atomically) and returns {@code file}. */
    public static Path writePng(List<String> keys, List<Point> points, Path file) {
        if (keys.isEmpty() || points.isEmpty()) {
            throw new IllegalArgumentException("a sweep chart needs grid parameters and runs: " + keys + ", "
                    + points.size() + " runs");
        }
        Chart bpb = chart(keys, points, "held-out bits per byte", true);
        Chart f1 = chart(keys, points, "boundary F1", false);
        return new Figure(List.of(bpb, f1), 2, 560, 400).writePng(file);
    }

    private static Chart chart(List<String> keys, List<Point> points, String metric, boolean bitsPerByte) {
        String rest = keys.size() > 1 ? String.join(", ", keys.subList(1, keys.size())) : "";
        Chart c = new Chart(metric + " by " + keys.get(0), keys.get(0), metric).padded(0.08);
        List<String> xValues = new ArrayList<>();
        for (Point p : points) {
            if (!xValues.contains(p.values().get(0))) {
                xValues.add(p.values().get(0));
            }
        }
        boolean numeric = xValues.stream().allMatch(SweepChart::isNumber);
        Map<String, List<Point>> lines = new LinkedHashMap<>();
        for (Point p : points) {
            String label = rest.isEmpty() ? metric : rest + " = " + String.join(", ", p.values().subList(1,
                    p.values().size()));
            lines.computeIfAbsent(label, k -> new ArrayList<>()).add(p);
        }
        java.util.function.ToDoubleFunction<Point> xOf = p -> numeric ? Double.parseDouble(p.values().get(0))
                : xValues.indexOf(p.values().get(0));
        lines.forEach((label, line) -> {
            List<Point> sorted = line.stream().sorted(java.util.Comparator.comparingDouble(xOf)).toList();
            double[] x = new double[sorted.size()];
            double[] y = new double[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                x[i] = xOf.applyAsDouble(sorted.get(i));
                y[i] = bitsPerByte ? sorted.get(i).bitsPerByte() : sorted.get(i).boundaryF1();
            }
            c.line(label, x, y);
        });
        return c;
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
