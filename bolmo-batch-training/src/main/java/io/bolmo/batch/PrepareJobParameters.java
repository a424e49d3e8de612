package io.bolmo.batch;

import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.PreparedShards;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The job parameters of {@code prepare} (corpus to training shards, {@link PreparedShards}) and their checks. */
public final class PrepareJobParameters {

    /** The parameters of {@code prepare}: names, defaults, which are paths. Order is the documentation order. */
    public static final JobDescription JOB = new JobDescription(PrepareJobConfiguration.JOB_NAME, List.of(
            JobParameterDefinition.input("corpus", null, "comma-separated corpus files or directories (format=text:"
                    + " .txt/.jsonl text; format=chat: .jsonl {\"messages\":[...]})"),
            JobParameterDefinition.input("tokenizer", null, "the subword tokenizer.json of the runs that will read the"
                    + " shards (the teacher's)"),
            JobParameterDefinition.output("the shard directory to write"),
            JobParameterDefinition.value("format", "text"),
            JobParameterDefinition.value("partitions", "1")));

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private final JobParameterValues values;

    private PrepareJobParameters(JobParameterValues values) {
        this.values = values;
    }

    public static PrepareJobParameters of(JobParameters params) {
        return new PrepareJobParameters(JobParameterValues.of(params, JOB));
    }

    public List<Path> corpus() {
        List<Path> c = values.paths("corpus");
        for (Path p : c) {
            if (!Files.exists(p)) {
                throw values.bad("corpus", "'" + p + "' does not exist");
            }
        }
        return c;
    }

    public Path tokenizer() {
        Path t = values.path("tokenizer");
        if (!Files.isRegularFile(t)) {
            throw values.bad("tokenizer", "no such file (expected a tokenizer.json)");
        }
        return t;
    }

    /** The shard directory: new, empty, or one this job already writes into (a restart). */
    public Path output() {
        Path out = values.path("output");
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw values.bad("output", "is a file, not a directory");
        }
        if (Files.isDirectory(out) && !PreparedShards.isShardDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                // temporary files of an interrupted write start with '.'
                if (s.anyMatch(f -> !f.getFileName().toString().startsWith("."))) {
                    throw values.bad("output", "is a directory with other files in it (not a shard directory);"
                            + " choose a new or empty directory");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    public DataFormat format() {
        String f = values.string("format");
        if (!f.equals("text") && !f.equals("chat")) {
            throw values.bad("format", "allowed: text, chat");
        }
        return DataFormat.parse(f);
    }

    /** How many shards (one per partition) the corpus' documents are split into, at most. */
    public int partitions() {
        return values.positiveInt("partitions");
    }
}
