package io.bolmo.batch;

import io.bolmo.train.ByteifyParameters;
import io.bolmo.train.Stage;
import io.bolmo.train.TrainingSettings;
import io.bolmo.train.data.PatchCompression;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code byteify}, their defaults (the released 1B recipe, model.md §6.1, §7) and their
 * conversion to {@link ByteifyParameters} per stage. Values may be strings or typed parameters; every error names
 * the parameter, the bad value and what is allowed.
 */
public final class ByteifyJobParameters extends TrainingJobParameters {

    private static final TrainingSettings STAGE1 = TrainingSettings.stage1(1);
    private static final TrainingSettings STAGE2 = TrainingSettings.stage2(1);

    /**
     * The parameters of {@code byteify}: names, defaults (the recipe's from the library where it has them), which are
     * paths. Order is the documentation order.
     */
    public static final JobDescription JOB = new JobDescription(ByteifyJobConfiguration.JOB_NAME, List.of(
            JobParameterDefinition.input("teacher", "", "the subword teacher's Hugging Face directory"),
            JobParameterDefinition.input("corpus", null,
                    "comma-separated corpus files or directories (.txt, .jsonl, optionally .gz)"),
            JobParameterDefinition.output("the directory for checkpoints and the final model"),
            JobParameterDefinition.input("tokenizer", "", "the teacher's tokenizer.json"),
            JobParameterDefinition.value("stage1-steps", "75000"),
            JobParameterDefinition.value("stage2-steps", "150000"),
            JobParameterDefinition.value("batch-size", "32"),
            JobParameterDefinition.value("seq-len", "24576"),
            JobParameterDefinition.value("max-patches", "4096"),
            JobParameterDefinition.value("stage1-lr", text(STAGE1.peakLr())),
            JobParameterDefinition.value("stage2-lr", text(STAGE2.peakLr())),
            JobParameterDefinition.value("global-lr-multiplier", text(STAGE2.globalLrMultiplier())),
            JobParameterDefinition.value("boundary-weight", text(STAGE1.weights().boundary())),
            JobParameterDefinition.value("seed", "1234"),
            JobParameterDefinition.value("chunk-size", "500"),
            JobParameterDefinition.value("keep-checkpoints", "2"),
            JobParameterDefinition.value("encoder-layers", text(ByteifyParameters.LocalShape.DEFAULT.encoderLayers())),
            JobParameterDefinition.value("decoder-layers", text(ByteifyParameters.LocalShape.DEFAULT.decoderLayers())),
            JobParameterDefinition.value("local-heads", "0"),
            JobParameterDefinition.value("local-intermediate", "0"),
            JobParameterDefinition.value("held-out-every", "1000"),
            JobParameterDefinition.input("init", "", "a Bolmo model directory that Stage 2 alone starts from"),
            JobParameterDefinition.value("compression", "none"),
            JobParameterDefinition.value("compression-target", "0"),
            JobParameterDefinition.value("compression-start", "0"),
            JobParameterDefinition.value("compression-steps", "0"),
            JobParameterDefinition.overwrite()));

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private ByteifyJobParameters(JobParameterValues values) {
        super(values);
    }

    /** A default as text: whole numbers without a fraction ("4", not "4.0"). */
    static String text(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Reads {@code params}; unknown names are refused so that a typo does not silently fall back to a default. */
    public static ByteifyJobParameters of(JobParameters params) {
        JobParameterValues v = JobParameterValues.of(params, JOB);
        ByteifyJobParameters p = new ByteifyJobParameters(v);
        if (!p.stage1Skipped() && v.string("teacher").isEmpty()) {
            throw new IllegalArgumentException("job parameter 'teacher' is required (" + JOB.describe("teacher") + ")");
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

    /** The directories the stages write into (what {@code overwrite=true} clears of another run's artifacts). */
    List<Path> runOutputs() {
        return List.of(stageOutput(Stage.STAGE1), stageOutput(Stage.STAGE2));
    }
}
