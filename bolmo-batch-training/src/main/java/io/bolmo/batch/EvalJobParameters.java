package io.bolmo.batch;

import io.bolmo.eval.EvalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code eval} (the metrics of {@code bolmo eval}, partitioned by document), their defaults
 * (those of {@code bolmo eval}, except {@code device=cpu}: every partition must compute alike for the partitioned
 * result to equal a single pass) and their conversion to {@link EvalSettings}.
 */
public final class EvalJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Which parameters name input locations (files or directories read) and which the output. */
    public static final List<String> INPUT_PATHS = List.of("bolmo", "teacher", "corpus", "tokenizer");
    public static final List<String> OUTPUT_PATHS = List.of("output");

    private final JobParameterValues values;

    private EvalJobParameters(JobParameterValues values) {
        this.values = values;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bolmo", null);
        d.put("teacher", "");
        d.put("corpus", null);
        d.put("output", null);
        d.put("tokenizer", "");
        d.put("held-out-every", "1000");
        d.put("max-docs", "0");
        d.put("tasks", "20");
        d.put("seed", "0");
        d.put("window-bytes", "512");
        d.put("window-tokens", "128");
        d.put("device", "cpu");
        d.put("partitions", "1");
        return Collections.unmodifiableMap(d);
    }

    public static EvalJobParameters of(JobParameters params) {
        return new EvalJobParameters(JobParameterValues.of(params, DEFAULTS, name -> switch (name) {
            case "bolmo" -> "comma-separated Bolmo checkpoint directories to evaluate";
            case "corpus" -> "comma-separated corpus files or directories (.txt, .jsonl, optionally .gz)";
            case "output" -> "the directory for report.md and report.json";
            default -> name;
        }));
    }

    /** What every partition needs to know; checks values and files. */
    public EvalSettings settings() {
        JobParameterValues v = values;
        List<Path> models = v.paths("bolmo");
        for (Path m : models) {
            if (!Files.isRegularFile(m.resolve("config.json"))) {
                throw v.bad("bolmo", "'" + m + "' is not a Hugging Face model directory (no config.json in it)");
            }
        }
        String teacher = v.string("teacher");
        if (!teacher.isEmpty()) {
            v.modelDirectory("teacher");
        }
        for (Path c : v.paths("corpus")) {
            if (!Files.exists(c)) {
                throw v.bad("corpus", "'" + c + "' does not exist");
            }
        }
        String tokenizer = v.string("tokenizer");
        if (!tokenizer.isEmpty() && !Files.exists(v.path("tokenizer"))) {
            throw v.bad("tokenizer", "no such file");
        }
        String device = v.string("device");
        if (!device.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw v.bad("device", "allowed: auto, cpu, gpu, gpu:N");
        }
        EvalOptions options;
        try {
            options = EvalOptions.DEFAULT.withWindows(v.positiveInt("window-bytes"), v.positiveInt("window-tokens"))
                    .withTasks(v.nonNegativeInt("tasks")).withSeed(v.integer("seed"));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("job parameter") ? e
                    : new IllegalArgumentException("job parameter " + e.getMessage(), e);
        }
        return new EvalSettings(models.stream().map(Path::toString).toList(), teacher,
                v.paths("corpus").stream().map(Path::toString).toList(), tokenizer, v.positiveInt("held-out-every"),
                v.nonNegativeInt("max-docs"), options.tasksPerTask(), options.seed(), options.windowBytes(),
                options.windowTokens(), device);
    }

    public Path output() {
        return values.path("output");
    }

    /** How many partitions the held-out documents (and task items) are split into. */
    public int partitions() {
        return values.positiveInt("partitions");
    }
}
