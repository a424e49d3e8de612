package io.bolmo.batch;

import io.bolmo.train.data.DataFormat;
import io.bolmo.train.finetune.FinetuneParameters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code finetune}, their defaults and their conversion to {@link FinetuneParameters}. Every
 * error names the parameter, the bad value and what is allowed; unknown names are refused.
 */
public final class FinetuneJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final JobParameterValues values;

    private FinetuneJobParameters(JobParameterValues values) {
        this.values = values;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("model", null);
        d.put("data", null);
        d.put("output", null);
        d.put("format", "text");
        d.put("tokenizer", "");
        d.put("steps", "1000");
        d.put("batch-size", "8");
        d.put("seq-len", "1024");
        d.put("max-patches", "256");
        d.put("lr", "5.2e-5");
        d.put("global-lr-multiplier", "0.5");
        d.put("freeze-global", "false");
        d.put("seed", "1234");
        d.put("chunk-size", "100");
        d.put("keep-checkpoints", "2");
        d.put("held-out-every", "10");
        d.put("eval-batches", "20");
        return Collections.unmodifiableMap(d);
    }

    /** Which parameters name input locations (files or directories read) and which the output. */
    public static final List<String> INPUT_PATHS = List.of("model", "data", "tokenizer");
    public static final List<String> OUTPUT_PATHS = List.of("output");

    public static FinetuneJobParameters of(JobParameters params) {
        return new FinetuneJobParameters(JobParameterValues.of(params, DEFAULTS, FinetuneJobParameters::describe));
    }

    private static String describe(String name) {
        return switch (name) {
            case "model" -> "the Bolmo checkpoint directory to fine-tune";
            case "data" -> "comma-separated data files or directories (format=text: .txt/.jsonl text;"
                    + " format=chat: .jsonl {\"messages\":[...]})";
            case "output" -> "the directory for checkpoints, best/ and final/";
            default -> name;
        };
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

    public int chunkSize() {
        return values.positiveInt("chunk-size");
    }

    public int keepCheckpoints() {
        return values.positiveInt("keep-checkpoints");
    }

    private DataFormat format() {
        String f = values.string("format");
        if (!f.equals("text") && !f.equals("chat")) {
            throw values.bad("format", "allowed: text, chat");
        }
        return DataFormat.parse(f);
    }
}
