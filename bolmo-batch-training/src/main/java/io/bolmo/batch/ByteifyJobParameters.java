package io.bolmo.batch;

import io.bolmo.train.ByteifyParameters;
import io.bolmo.train.Stage;
import io.bolmo.train.data.PatchCompression;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code byteify}, their defaults (the released 1B recipe, spec 6.1, 7) and their
 * conversion to {@link ByteifyParameters} per stage. Values may be strings or typed parameters; every error names
 * the parameter, the bad value and what is allowed.
 */
public final class ByteifyJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final JobParameterValues values;

    private ByteifyJobParameters(JobParameterValues values) {
        this.values = values;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("teacher", "");
        d.put("corpus", null);
        d.put("output", null);
        d.put("tokenizer", "");
        d.put("stage1-steps", "75000");
        d.put("stage2-steps", "150000");
        d.put("batch-size", "32");
        d.put("seq-len", "24576");
        d.put("max-patches", "4096");
        d.put("stage1-lr", "7e-4");
        d.put("stage2-lr", "5.2e-5");
        d.put("global-lr-multiplier", "0.5");
        d.put("boundary-weight", "4");
        d.put("seed", "1234");
        d.put("chunk-size", "500");
        d.put("keep-checkpoints", "2");
        d.put("encoder-layers", "1");
        d.put("decoder-layers", "4");
        d.put("local-heads", "0");
        d.put("local-intermediate", "0");
        d.put("held-out-every", "1000");
        d.put("init", "");
        d.put("compression", "none");
        d.put("compression-target", "0");
        d.put("compression-start", "0");
        d.put("compression-steps", "0");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Reads {@code params}; unknown names are refused so that a typo does not silently fall back to a default. */
    public static ByteifyJobParameters of(JobParameters params) {
        JobParameterValues v = JobParameterValues.of(params, DEFAULTS, ByteifyJobParameters::describe);
        ByteifyJobParameters p = new ByteifyJobParameters(v);
        if (!p.stage1Skipped() && v.string("teacher").isEmpty()) {
            throw new IllegalArgumentException("job parameter 'teacher' is required (" + describe("teacher") + ")");
        }
        return p;
    }

    /**
     * Whether the job runs Stage 2 alone, from the Bolmo model in {@code init} ({@code stage1-steps=0 init=DIR}): for
     * example a Stage 2 continuation of a byteified model with compression.
     */
    public boolean stage1Skipped() {
        boolean zero = values.integer("stage1-steps") == 0;
        boolean init = !values.string("init").isEmpty();
        if (zero && !init) {
            throw values.bad("stage1-steps",
                    "must be > 0 (0 runs Stage 2 alone and needs init=DIR, a Bolmo model)");
        }
        if (init && !zero) {
            throw values.bad("init",
                    "needs stage1-steps=0 (init replaces Stage 1: Stage 2 starts from this Bolmo model)");
        }
        return zero;
    }

    private static String describe(String name) {
        return switch (name) {
            case "teacher" -> "the subword teacher's Hugging Face directory";
            case "corpus" -> "comma-separated corpus files or directories (.txt, .jsonl, optionally .gz)";
            case "output" -> "the directory for checkpoints and the final model";
            default -> name;
        };
    }

    /** Stage 1: from the teacher into {@code output/stage1}. */
    public ByteifyParameters stage1() {
        return common(Stage.STAGE1, values.path("teacher"), stageOutput(Stage.STAGE1),
                values.positiveLong("stage1-steps"), values.positiveDouble("stage1-lr"));
    }

    /** Stage 2: from {@code stage1Final} (or {@code init} when Stage 1 is skipped) into {@code output/stage2}. */
    public ByteifyParameters stage2(Path stage1Final) {
        Path from = stage1Skipped() ? values.path("init") : stage1Final;
        ByteifyParameters p = common(Stage.STAGE2, from, stageOutput(Stage.STAGE2),
                values.positiveLong("stage2-steps"), values.positiveDouble("stage2-lr"));
        try {
            return p.withCompression(compression(p.steps()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job parameter " + e.getMessage(), e);
        }
    }

    /** {@code compression=none|bpe|space} with its target, start and ramp ({@code 0}: over all Stage 2 steps). */
    private PatchCompression compression(long stage2Steps) {
        PatchCompression.Kind kind = PatchCompression.Kind.parse(values.string("compression"));
        double target = values.nonNegativeDouble("compression-target");
        double start = values.nonNegativeDouble("compression-start");
        long ramp = values.integer("compression-steps");
        if (ramp < 0) {
            throw values.bad("compression-steps", "must be >= 1, or 0 for all stage2-steps");
        }
        if (kind == PatchCompression.Kind.NONE) {
            for (String name : List.of("compression-target", "compression-start", "compression-steps")) {
                if (!"0".equals(values.string(name))) {
                    throw values.bad(name, "needs compression=bpe or compression=space");
                }
            }
            return PatchCompression.NONE;
        }
        return new PatchCompression(kind, start, target, ramp == 0 ? stage2Steps : ramp);
    }

    private ByteifyParameters common(Stage stage, Path init, Path out, long steps, double lr) {
        JobParameterValues v = values;
        String tok = v.string("tokenizer");
        try {
            return new ByteifyParameters(stage, init, tok.isEmpty() ? null : Path.of(tok), v.paths("corpus"), out,
                    steps, v.positiveInt("batch-size"), v.positiveInt("seq-len"), v.positiveInt("max-patches"), lr,
                    v.nonNegativeDouble("global-lr-multiplier"), v.integer("seed"),
                    new ByteifyParameters.LocalShape(v.positiveInt("encoder-layers"), v.positiveInt("decoder-layers"),
                            v.nonNegativeInt("local-heads"), v.nonNegativeInt("local-intermediate")),
                    v.nonNegativeInt("held-out-every")).withBoundaryWeight(v.nonNegativeDouble("boundary-weight"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job parameter " + e.getMessage(), e);
        }
    }

    /** Where stage {@code s} writes {@code checkpoints/} and {@code final/}. */
    public Path stageOutput(Stage s) {
        return values.path("output").resolve(s == Stage.STAGE1 ? "stage1" : "stage2");
    }

    /** Optimizer steps per Spring Batch chunk (one transaction, one checkpoint). */
    public int chunkSize() {
        return values.positiveInt("chunk-size");
    }

    public int keepCheckpoints() {
        return values.positiveInt("keep-checkpoints");
    }

}
