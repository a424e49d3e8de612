package io.bolmo.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.bolmo.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of a training run as JSON lines in {@code OUTPUT/metrics.jsonl}, one per optimizer step
 * ({@code "kind":"train"}) and per held-out evaluation ({@code "kind":"eval"}), for dashboards and plots. Lines are
 * appended as steps finish; a run resumed from a checkpoint first {@link #truncate truncates} the file (atomically)
 * to the checkpoint's step, so after a restart the file reads as that of an uninterrupted run. A reader ignores a
 * torn last line (a process killed mid-write).
 */
public final class MetricsLog {

    public static final String FILE = "metrics.jsonl";

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    /** The log of a run writing into {@code output}. */
    public static MetricsLog in(Path output) {
        return new MetricsLog(output.resolve(FILE));
    }

    public Path file() {
        return file;
    }

    public void append(StepMetrics m) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", "train");
        o.addProperty("step", m.step());
        o.addProperty("loss", m.losses().total());
        o.addProperty("ce", m.losses().crossEntropy());
        o.addProperty("bnd", m.losses().boundary());
        o.addProperty("enc", m.losses().encoder());
        o.addProperty("distill", m.losses().distillation());
        o.addProperty("bnd_acc", m.boundaries().accuracy());
        o.addProperty("bnd_f1", m.boundaries().f1());
        o.addProperty("bpb", m.bitsPerByte());
        o.addProperty("bytes_per_patch", m.boundaries().bytesPerPatch());
        o.addProperty("grad_norm", m.gradNorm());
        o.addProperty("lr", m.learningRate());
        o.addProperty("bytes_per_s", Math.round(m.bytesPerSecond()));
        write(o);
    }

    public void append(HeldOutMetrics m) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", "eval");
        o.addProperty("step", m.step());
        o.addProperty("loss", m.loss());
        o.addProperty("ce", m.crossEntropy());
        o.addProperty("bnd", m.boundary());
        o.addProperty("bpb", m.bitsPerByte());
        o.addProperty("bytes", m.bytes());
        write(o);
    }

    private void write(JsonObject o) {
        String line = sanitize(o) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** NaN and infinities are not JSON: they are written as null. */
    private static String sanitize(JsonObject o) {
        JsonObject c = new JsonObject();
        o.entrySet().forEach(e -> {
            if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()
                    && !Double.isFinite(e.getValue().getAsDouble())) {
                c.add(e.getKey(), com.google.gson.JsonNull.INSTANCE);
            } else {
                c.add(e.getKey(), e.getValue());
            }
        });
        return c.toString();
    }

    /**
     * Keeps the entries of steps ≤ {@code lastStep} (and drops a torn line), atomically; {@code lastStep} &lt; 0
     * empties the log. Called when a run (re)opens at step {@code lastStep}.
     */
    public void truncate(long lastStep) {
        List<JsonObject> keep = new ArrayList<>();
        for (JsonObject o : read(file)) {
            if (o.has("step") && o.get("step").getAsLong() <= lastStep) {
                keep.add(o);
            }
        }
        StringBuilder sb = new StringBuilder();
        keep.forEach(o -> sb.append(o).append('\n'));
        AtomicFiles.writeFile(file, tmp -> Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8));
    }

    /** The entries of {@code file} in order (none when it does not exist); torn or unparsable lines are skipped. */
    public static List<JsonObject> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<JsonObject> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(JsonParser.parseString(l).getAsJsonObject());
            } catch (JsonParseException | IllegalStateException e) {
                // a line torn by a killed process: the restart rewrites it
            }
        }
        return out;
    }
}
