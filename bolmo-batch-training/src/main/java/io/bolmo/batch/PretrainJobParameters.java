package io.bolmo.batch;

import io.bolmo.train.InvalidParameterException;
import io.bolmo.train.teacher.PretrainParameters;
import io.bolmo.train.teacher.PretrainRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job parameters of {@code pretrain} (the subword teacher, {@link PretrainRun}): {@link PretrainParameters}'
 * parameters, defaults and checks (those of {@code bolmo pretrain-teacher}: Olmo 3 shape, d 128, 4 layers, on
 * Lucene's Europarl sample) plus the output and the chunking of the job.
 */
public final class PretrainJobParameters extends TrainingJobParameters {

    private static final Set<String> INPUTS = Set.of("corpus", "tokenizer", "init");

    /** The parameters of {@code pretrain}: names, defaults, which are paths. Order is the documentation order. */
    public static final JobDescription JOB = new JobDescription(PretrainJobConfiguration.JOB_NAME, definitions());

    /** Name → default ({@code null}: required). Order is the documentation order. */
    public static final Map<String, String> DEFAULTS = JOB.defaults();

    private PretrainJobParameters(JobParameterValues values) {
        super(values);
    }

    private static List<JobParameterDefinition> definitions() {
        List<JobParameterDefinition> d = new ArrayList<>();
        d.add(JobParameterDefinition.output("the directory for checkpoints/, final/ and metrics.jsonl"));
        PretrainParameters.defaults().forEach((name, value) -> d.add(INPUTS.contains(name)
                ? JobParameterDefinition.input(name, value, name) : JobParameterDefinition.value(name, value)));
        d.add(JobParameterDefinition.value("chunk-size", "100"));
        d.add(JobParameterDefinition.value("keep-checkpoints", "2"));
        d.add(JobParameterDefinition.overwrite());
        return d;
    }

    public static PretrainJobParameters of(JobParameters params) {
        return new PretrainJobParameters(JobParameterValues.of(params, JOB));
    }

    /**
     * The run's parameters, each checked by {@link PretrainParameters}. An empty {@code corpus} materialises the
     * Europarl sample under {@code OUTPUT/work}, an empty {@code tokenizer} the init teacher's own or the bundled
     * cl100k-8192 (both once; later reads reuse the files).
     */
    public PretrainParameters run() {
        return named(PretrainParameters.Builder::build);
    }

    /** Checks every parameter without writing anything (the inputs are resolved by {@link #run}). */
    void check() {
        named(PretrainParameters.Builder::validate);
    }

    /** The given corpus paths (none: the Europarl sample). */
    List<Path> givenCorpus() {
        return values.string("corpus").isEmpty() ? List.of() : values.paths("corpus");
    }

    private <T> T named(Function<PretrainParameters.Builder, T> step) {
        JobParameterValues v = values;
        try {
            PretrainParameters.Builder b = PretrainParameters.builder(v.path("output")).corpus(givenCorpus())
                    .tokenizer(optionalPath("tokenizer")).init(optionalPath("init")).format(v.string("format"))
                    .freezeEmbeddings(v.bool("freeze-embeddings")).chatMarkers(v.string("chat-markers"))
                    .steps(v.integer("steps")).batchSize(v.integer("batch-size")).seqLen(v.integer("seq-len"))
                    .lr(v.number("lr")).hidden(v.integer("hidden")).layers(v.integer("layers"))
                    .heads(v.integer("heads")).window(v.integer("window")).intermediate(v.integer("intermediate"))
                    .seed(v.integer("seed")).heldOutEvery(v.integer("held-out-every"))
                    .evalBatches(v.integer("eval-batches")).dtype(v.string("dtype")).device(v.string("device"));
            return step.apply(b);
        } catch (InvalidParameterException e) {
            throw v.bad(e.name(), e.rule());
        }
    }

    private Path optionalPath(String name) {
        return values.string(name).isEmpty() ? null : values.path(name);
    }
}
