package io.bolmo.batch;

import io.bolmo.io.SafetensorsDtype;
import io.bolmo.tokenize.BundledTokenizer;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.teacher.EuroparlCorpus;
import io.bolmo.train.teacher.PlainChatMarkers;
import io.bolmo.train.teacher.PretrainRun;
import io.bolmo.train.teacher.TeacherSettings;
import io.bolmo.train.teacher.TeacherShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code pretrain} (the subword teacher, {@link PretrainRun}), their defaults (those of
 * {@code bolmo pretrain-teacher}: Olmo 3 shape, d 128, 4 layers, on Lucene's Europarl sample) and their conversion.
 */
public final class PretrainJobParameters {

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = defaults();

    private final JobParameterValues values;

    private PretrainJobParameters(JobParameterValues values) {
        this.values = values;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("output", null);
        d.put("corpus", "");
        d.put("tokenizer", "");
        d.put("init", "");
        d.put("format", "text");
        d.put("freeze-embeddings", "false");
        d.put("chat-markers", "special");
        d.put("steps", "1000");
        d.put("batch-size", "16");
        d.put("seq-len", "256");
        d.put("lr", "3e-3");
        d.put("hidden", "128");
        d.put("layers", "4");
        d.put("heads", "4");
        d.put("window", "64");
        d.put("intermediate", "0");
        d.put("seed", "42");
        d.put("held-out-every", "100");
        d.put("eval-batches", "8");
        d.put("dtype", "bf16");
        d.put("device", "cpu");
        d.put("chunk-size", "100");
        d.put("keep-checkpoints", "2");
        return Collections.unmodifiableMap(d);
    }

    public static PretrainJobParameters of(JobParameters params) {
        return new PretrainJobParameters(JobParameterValues.of(params, DEFAULTS, name -> switch (name) {
            case "output" -> "the directory for checkpoints/, final/ and metrics.jsonl";
            case "init" -> "a teacher's Hugging Face directory to start from (empty: random weights)";
            default -> name;
        }));
    }

    /**
     * The run's parameters. An empty {@code corpus} materialises the Europarl sample under {@code OUTPUT/work}, an
     * empty {@code tokenizer} the bundled cl100k-8192 next to it (both once; later reads reuse the files).
     */
    public PretrainRun.Parameters run() {
        JobParameterValues v = values;
        Path output = v.path("output");
        int hidden = v.positiveInt("hidden");
        int heads = v.positiveInt("heads");
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw v.bad("heads", "must divide hidden = " + hidden + " into an even head size");
        }
        int intermediate = v.nonNegativeInt("intermediate");
        String device = v.string("device");
        if (!device.matches("cpu|gpu|gpu:\\d+")) {
            throw v.bad("device", "allowed: cpu, gpu, gpu:N");
        }
        DataFormat format;
        try {
            format = DataFormat.parse(v.string("format"));
        } catch (IllegalArgumentException e) {
            throw v.bad("format", "allowed: text, chat");
        }
        if (format == DataFormat.CHAT && v.string("corpus").isEmpty()) {
            throw v.bad("corpus", "format=chat needs the conversations (JSONL, e.g. from bolmo make-chat-data)");
        }
        TeacherSettings settings = new TeacherSettings(v.positiveInt("batch-size"), v.positiveInt("seq-len"),
                v.positiveLong("steps"), v.positiveDouble("lr"), 0.05, 0.1, 1.0, v.integer("seed"),
                v.nonNegativeInt("held-out-every"), format, v.bool("freeze-embeddings"));
        Path init = v.string("init").isEmpty() ? null : v.modelDirectory("init");
        return new PretrainRun.Parameters(output, corpus(output), tokenizer(output, init), init,
                TeacherShapes.olmo3(TeacherShapes.VOCAB, hidden, intermediate == 0 ? 4 * hidden : intermediate,
                        v.positiveInt("layers"), heads, v.positiveInt("window")),
                settings, v.nonNegativeInt("eval-batches"), dtype(), device);
    }

    public int chunkSize() {
        return values.positiveInt("chunk-size");
    }

    public int keepCheckpoints() {
        return values.positiveInt("keep-checkpoints");
    }

    private List<Path> corpus(Path output) {
        return values.string("corpus").isEmpty() ? List.of(EuroparlCorpus.materialise(output.resolve("work"), 0))
                : values.paths("corpus");
    }

    /**
     * The given tokenizer, else the init teacher's own, else the bundled cl100k-8192; with {@code chat-markers=text}
     * a copy under {@code OUTPUT/work} in which the chat template's markers are plain text ({@link PlainChatMarkers}).
     */
    private Path tokenizer(Path output, Path init) {
        Path tokenizer;
        if (!values.string("tokenizer").isEmpty()) {
            tokenizer = values.path("tokenizer");
        } else if (init != null && Files.isRegularFile(init.resolve("tokenizer.json"))) {
            tokenizer = init.resolve("tokenizer.json");
        } else {
            tokenizer = BundledTokenizer.copyTo(output.resolve("work"));
        }
        return switch (values.string("chat-markers")) {
            case "special" -> tokenizer;
            case "text" -> PlainChatMarkers.write(tokenizer, ChatTemplate.OLMO,
                    output.resolve("work/tokenizer-plain-chat-markers.json"));
            default -> throw values.bad("chat-markers", "allowed: special, text");
        };
    }

    private SafetensorsDtype dtype() {
        return switch (values.string("dtype").toLowerCase(Locale.ROOT)) {
            case "bf16" -> SafetensorsDtype.BF16;
            case "f32" -> SafetensorsDtype.F32;
            default -> throw values.bad("dtype", "allowed: bf16, f32");
        };
    }
}
