package io.bolmo.train;

import io.bolmo.io.CheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every step's {@link StepMetrics} of a run, as {@code metrics.csv}. It is written into each checkpoint (so a resumed
 * run's history is exactly the one of the steps it kept, never the steps of a lost chunk) and next to the exported
 * model, where {@code bolmo plot-training} reads it; the role of Hugging Face's {@code trainer_state.json} log.
 */
public final class MetricsHistory {

    public static final String FILE = "metrics.csv";
    static final String HEADER = "step,total,encoder,ce,distill,boundary,boundary_accuracy,boundary_f1,"
            + "bits_per_byte,bytes_per_patch,grad_norm,lr,bytes,seconds";

    private final List<StepMetrics> steps = new ArrayList<>();

    public void add(StepMetrics m) {
        steps.add(m);
    }

    public List<StepMetrics> steps() {
        return List.copyOf(steps);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (StepMetrics m : steps) {
            // shortest exact decimal form: a resumed run's history equals the uninterrupted one's
            sb.append(m.step()).append(',').append(m.total()).append(',').append(m.encoder()).append(',')
                    .append(m.crossEntropy()).append(',').append(m.distillation()).append(',').append(m.boundary())
                    .append(',').append(m.boundaryAccuracy()).append(',').append(m.boundaryF1()).append(',')
                    .append(m.bitsPerByte()).append(',').append(m.bytesPerPatch()).append(',').append(m.gradNorm())
                    .append(',').append(m.learningRate()).append(',').append(m.bytes()).append(',')
                    .append(m.seconds()).append('\n');
        }
        return sb.toString();
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), toCsv(), StandardCharsets.UTF_8);
    }

    /** The history in {@code dir/metrics.csv}; empty when the directory has none (a checkpoint of an older run). */
    public static MetricsHistory read(Path dir) {
        MetricsHistory h = new MetricsHistory();
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return h;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new CheckpointException(file + ": the first line must be the header '" + HEADER + "'");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                h.add(parse(file, i + 1, lines.get(i)));
            }
        }
        return h;
    }

    private static StepMetrics parse(Path file, int lineNumber, String line) {
        String[] f = line.split(",", -1);
        if (f.length != 14) {
            throw new CheckpointException(file + ":" + lineNumber + ": expected 14 comma-separated fields, found "
                    + f.length);
        }
        try {
            return new StepMetrics(Long.parseLong(f[0]), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]),
                    d(f[7]), d(f[8]), d(f[9]), d(f[10]), d(f[11]), Long.parseLong(f[12]), d(f[13]));
        } catch (NumberFormatException e) {
            throw new CheckpointException(file + ":" + lineNumber + ": not a number: " + e.getMessage(), e);
        }
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
