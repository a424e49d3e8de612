package io.bolmo.batch;

import io.bolmo.engine.EngineKind;
import io.bolmo.engine.LoadOptions;
import io.bolmo.eval.EvalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code eval} (the metrics of {@code bolmo eval}, partitioned by document), their defaults
 * (those of {@code bolmo eval}, except {@code device=cpu}: every partition must compute alike for the partitioned
 * result to equal a single pass) and their conversion to {@link EvalSettings}.
 */
public final class EvalJobParameters {

    /** The parameters of {@code eval}: names, defaults, which are paths. Order is the documentation order. */
    public static final JobDescription JOB = new JobDescription(EvalJobConfiguration.JOB_NAME, List.of(
            JobParameterDefinition.input("bolmo", null, "comma-separated Bolmo checkpoint directories to evaluate"),
            JobParameterDefinition.input("teacher", "", "the subword teacher's Hugging Face directory"),
            JobParameterDefinition.input("corpus", null, "comma-separated corpus files or directories (.txt, .jsonl,"
                    + " optionally .gz)"),
            JobParameterDefinition.output("the directory for report.md and report.json"),
            JobParameterDefinition.input("tokenizer", "", "the subword tokenizer.json"),
            JobParameterDefinition.value("held-out-every", "1000"),
            JobParameterDefinition.value("max-docs", "0"),
            JobParameterDefinition.value("tasks", "20"),
            JobParameterDefinition.value("seed", "0"),
            JobParameterDefinition.value("window-bytes", "512"),
            JobParameterDefinition.value("window-tokens", "128"),
            JobParameterDefinition.value("device", "cpu"),
            JobParameterDefinition.value("engine", "djl"),
            JobParameterDefinition.value("partitions", "1")));

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private final JobParameterValues values;

    private EvalJobParameters(JobParameterValues values) {
        this.values = values;
    }

    public static EvalJobParameters of(JobParameters params) {
        return new EvalJobParameters(JobParameterValues.of(params, JOB));
    }

    /** What every partition needs to know; checks values and files. */
    public EvalSettings settings() {
        for (Path m : values.paths("bolmo")) {
            if (!Files.isRegularFile(m.resolve("config.json"))) {
                throw values.bad("bolmo", "'" + m + "' is not a Hugging Face model directory (no config.json in it)");
            }
        }
        return settingsOfModelsToBeTrained();
    }

    /** {@link #settings()} before the models exist (a sweep's evaluations): every check but the model directories. */
    EvalSettings settingsOfModelsToBeTrained() {
        JobParameterValues v = values;
        List<Path> models = v.paths("bolmo");
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
        try {
            LoadOptions.parse(device, null, null, null);
        } catch (IllegalArgumentException e) {
            throw v.bad("device", e.getMessage());
        }
        // auto would pick per JVM (the Java engine only where the Vector API module is), and engines differ in the
        // last bits: a partitioned evaluation names one, so every worker computes the same sums
        String engine = v.string("engine");
        if (!engine.equals(EngineKind.DJL.toString()) && !engine.equals(EngineKind.JAVA.toString())) {
            throw v.bad("engine", "allowed: djl, java (one engine for every partition, not auto)");
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
                options.windowTokens(), device, engine);
    }

    public Path output() {
        return values.path("output");
    }

    /** How many partitions the held-out documents (and task items) are split into. */
    public int partitions() {
        return values.positiveInt("partitions");
    }
}
