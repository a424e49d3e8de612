package io.bolmo.batch;

import io.bolmo.train.TrainingSettings;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.finetune.FinetuneParameters;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code finetune}, their defaults and their conversion to {@link FinetuneParameters}. Every
 * error names the parameter, the bad value and what is allowed; unknown names are refused.
 */
public final class FinetuneJobParameters extends TrainingJobParameters {

    /** The parameters of {@code finetune}: names, defaults, which are paths. Order is the documentation order. */
    public static final JobDescription JOB = new JobDescription(FinetuneJobConfiguration.JOB_NAME, List.of(
            JobParameterDefinition.input("model", null, "the Bolmo checkpoint directory to fine-tune"),
            JobParameterDefinition.input("data", null, "comma-separated data files or directories (format=text:"
                    + " .txt/.jsonl text; format=chat: .jsonl {\"messages\":[...]})"),
            JobParameterDefinition.output("the directory for checkpoints, best/ and final/"),
            JobParameterDefinition.value("format", "text"),
            JobParameterDefinition.input("tokenizer", "", "the subword tokenizer.json"),
            JobParameterDefinition.value("steps", "1000"),
            JobParameterDefinition.value("batch-size", "8"),
            JobParameterDefinition.value("seq-len", "1024"),
            JobParameterDefinition.value("max-patches", "256"),
            JobParameterDefinition.value("lr", ByteifyJobParameters.text(TrainingSettings.stage2(1).peakLr())),
            JobParameterDefinition.value("global-lr-multiplier",
                    ByteifyJobParameters.text(TrainingSettings.stage2(1).globalLrMultiplier())),
            JobParameterDefinition.value("freeze-global", "false"),
            JobParameterDefinition.value("seed", "1234"),
            JobParameterDefinition.value("chunk-size", "100"),
            JobParameterDefinition.value("keep-checkpoints", "2"),
            JobParameterDefinition.value("held-out-every", "10"),
            JobParameterDefinition.value("eval-batches", "20"),
            JobParameterDefinition.overwrite()));

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private FinetuneJobParameters(JobParameterValues values) {
        super(values);
    }

    public static FinetuneJobParameters of(JobParameters params) {
        return new FinetuneJobParameters(JobParameterValues.of(params, JOB));
    }

    public FinetuneParameters finetune() {
        try {
            JobParameterValues v = values;
            String tok = v.string("tokenizer");
            return new FinetuneParameters(v.path("model"), tok.isEmpty() ? null : v.path("tokenizer"),
                    v.paths("data"), format(), v.path("output"), v.positiveLong("steps"), v.positiveInt("batch-size"),
                    v.positiveInt("seq-len"), v.positiveInt("max-patches"), v.positiveDouble("lr"),
                    v.nonNegativeDouble("global-lr-multiplier"), v.bool("freeze-global"), v.integer("seed"),
                    v.nonNegativeInt("held-out-every"), v.nonNegativeInt("eval-batches"));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("job parameter") ? e
                    : new IllegalArgumentException("job parameter " + e.getMessage(), e);
        }
    }

    private DataFormat format() {
        String f = values.string("format");
        if (!f.equals("text") && !f.equals("chat")) {
            throw values.bad("format", "allowed: text, chat");
        }
        return DataFormat.parse(f);
    }
}
