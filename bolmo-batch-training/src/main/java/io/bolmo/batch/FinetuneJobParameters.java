package io.bolmo.batch;

import io.bolmo.train.finetune.DataFormat;
import io.bolmo.train.finetune.FinetuneParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code finetune}, their defaults and their conversion to {@link FinetuneParameters}. Every
 * error names the parameter, the bad value and what is allowed; unknown names are refused.
 */
public final class FinetuneJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values;

    private FinetuneJobParameters(Map<String, String> values) {
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
        Map<String, String> v = new LinkedHashMap<>();
        for (JobParameter<?> p : params.parameters()) {
            if (!DEFAULTS.containsKey(p.name())) {
                throw new IllegalArgumentException("unknown job parameter '" + p.name() + "'; allowed: "
                        + String.join(", ", DEFAULTS.keySet()));
            }
            v.put(p.name(), String.valueOf(p.value()).trim());
        }
        for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
            String given = v.get(e.getKey());
            if (given == null || given.isEmpty()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("job parameter '" + e.getKey() + "' is required ("
                            + describe(e.getKey()) + ")");
                }
                v.put(e.getKey(), e.getValue());
            }
        }
        return new FinetuneJobParameters(v);
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
            String tok = values.get("tokenizer");
            return new FinetuneParameters(path("model"), tok.isEmpty() ? null : path("tokenizer"), data(), format(),
                    path("output"), positiveLong("steps"), positiveInt("batch-size"), positiveInt("seq-len"),
                    positiveInt("max-patches"), positiveDouble("lr"), nonNegativeDouble("global-lr-multiplier"),
                    bool("freeze-global"), integer("seed"), nonNegativeInt("held-out-every"),
                    nonNegativeInt("eval-batches"));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("job parameter") ? e
                    : new IllegalArgumentException("job parameter " + e.getMessage(), e);
        }
    }

    public int chunkSize() {
        return positiveInt("chunk-size");
    }

    public int keepCheckpoints() {
        return positiveInt("keep-checkpoints");
    }

    private DataFormat format() {
        String f = values.get("format");
        if (!f.equals("text") && !f.equals("chat")) {
            throw bad("format", "allowed: text, chat");
        }
        return DataFormat.parse(f);
    }

    private List<Path> data() {
        List<Path> out = new ArrayList<>();
        for (String s : values.get("data").split(",")) {
            if (!s.isBlank()) {
                out.add(Path.of(s.trim()));
            }
        }
        return out;
    }

    private Path path(String name) {
        try {
            return Path.of(values.get(name));
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(name, "not a valid path: " + e.getReason());
        }
    }

    private boolean bool(String name) {
        String v = values.get(name);
        if (!v.equals("true") && !v.equals("false")) {
            throw bad(name, "allowed: true, false");
        }
        return Boolean.parseBoolean(v);
    }

    private long integer(String name) {
        try {
            return Long.parseLong(values.get(name));
        } catch (NumberFormatException e) {
            throw bad(name, "not an integer");
        }
    }

    private long positiveLong(String name) {
        long v = integer(name);
        if (v <= 0) {
            throw bad(name, "must be > 0");
        }
        return v;
    }

    private int positiveInt(String name) {
        long v = positiveLong(name);
        if (v > Integer.MAX_VALUE) {
            throw bad(name, "must be <= " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private int nonNegativeInt(String name) {
        long v = integer(name);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw bad(name, "must be >= 0");
        }
        return (int) v;
    }

    private double number(String name) {
        try {
            double d = Double.parseDouble(values.get(name));
            if (!Double.isFinite(d)) {
                throw bad(name, "must be a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(name, "not a number");
        }
    }

    private double positiveDouble(String name) {
        double d = number(name);
        if (d <= 0) {
            throw bad(name, "must be > 0");
        }
        return d;
    }

    private double nonNegativeDouble(String name) {
        double d = number(name);
        if (d < 0) {
            throw bad(name, "must be >= 0");
        }
        return d;
    }

    private IllegalArgumentException bad(String name, String rule) {
        return new IllegalArgumentException("job parameter '" + name + "' = '" + values.get(name) + "' is invalid: "
                + rule);
    }
}
