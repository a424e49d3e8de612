package io.bolmo.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.batch.partition.PartitionSteps;
import io.bolmo.batch.partition.WorkerIdentity;
import io.bolmo.eval.CharTask;
import io.bolmo.eval.EvalModels;
import io.bolmo.eval.EvalPlan;
import io.bolmo.eval.EvalReport;
import io.bolmo.eval.Evaluation;
import io.bolmo.eval.HeldOutResult;
import io.bolmo.eval.TaskResult;
import io.bolmo.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code eval} job: the metrics of {@code bolmo eval} (bits per byte, boundary precision/recall/F1, bytes per
 * patch, the character tasks) of one or more checkpoints over a corpus, partitioned by document. Step {@code eval}
 * splits the held-out documents and task items into {@code partitions} ranges and runs them (locally on a thread
 * pool, or on remote workers, by configuration: {@link PartitionSteps}); step {@code evalReport} adds the
 * partitions' exact sums up in partition order and writes {@code OUTPUT/report.md} and {@code OUTPUT/report.json}
 * (atomically). The figures equal those of one {@code bolmo eval} pass over the same documents exactly.
 */
@Configuration(proxyBeanMethods = false)
public class EvalJobConfiguration {

    public static final String JOB_NAME = "eval";
    public static final String REPORT_MD = "report.md";
    public static final String REPORT_JSON = "report.json";

    /** Parameters, model directories and corpus are checked before anything runs. */
    static final class Validator extends JobValidator {

        private final boolean modelsExist;

        Validator(PathConfinement confinement) {
            this(confinement, true);
        }

        private Validator(PathConfinement confinement, boolean modelsExist) {
            super(EvalJobParameters.JOB, confinement);
            this.modelsExist = modelsExist;
        }

        /**
         * The validation of a sweep's evaluations, before the sweep has trained the models they read: everything
         * but the model directories (and the tokenizers in them, which are the runs' own, checked with the runs).
         */
        static Validator ofModelsToBeTrained(PathConfinement confinement) {
            return new Validator(confinement, false);
        }

        @Override
        List<Path> check(org.springframework.batch.core.job.parameters.JobParameters parameters) {
            EvalJobParameters p = EvalJobParameters.of(parameters);
            EvalSettings s = modelsExist ? p.settings() : p.settingsOfModelsToBeTrained();
            p.partitions();
            if (modelsExist && confinement() != null && s.sharedTokenizer() == null) {
                for (String model : s.models()) { // each reads the subword vocabulary its config.json names
                    confinement().checkFile("bolmo", EvalModels.ownTokenizer(Path.of(model)));
                }
            }
            return null; // a report directory, not a run's: nothing to claim
        }
    }

    @Bean
    JobDescription evalDescription() {
        return EvalJobParameters.JOB;
    }

    @Bean
    Step evalPartition(JobRepository repository, PlatformTransactionManager tm, WorkerIdentity workerIdentity) {
        return new StepBuilder(EvalPartitions.WORKER_STEP, repository).tasklet(new EvalPartitions.Worker(), tm)
                .listener(workerIdentity).build();
    }

    @Bean
    @StepScope
    Partitioner evalPartitioner(@Value("#{stepExecution}") StepExecution manager) {
        return gridSize -> {
            EvalJobParameters p = EvalJobParameters.of(manager.getJobParameters());
            return EvalPartitions.split(p.settings(), EvalPartitions.names("partition", p.partitions()));
        };
    }

    @Bean
    Step evalPartitions(PartitionSteps steps, Step evalPartition, Partitioner evalPartitioner) {
        return steps.manager(JOB_NAME, evalPartition, evalPartitioner, false);
    }

    @Bean
    Step evalReport(JobRepository repository, PlatformTransactionManager tm) {
        return new StepBuilder("evalReport", repository).tasklet((contribution, chunk) -> {
            StepExecution step = chunk.getStepContext().getStepExecution();
            EvalJobParameters p = EvalJobParameters.of(step.getJobParameters());
            EvalSettings s = p.settings();
            List<EvalPartitions.Result> results = EvalPartitions.collect(repository,
                    step.getJobExecution().getJobInstance(), EvalPartitions.names("partition", p.partitions()),
                    s.models().size());
            writeReports(p.output(), s, results);
            return org.springframework.batch.infrastructure.repeat.RepeatStatus.FINISHED;
        }, tm).build();
    }

    @Bean
    Job eval(JobRepository repository, Step evalPartitions, Step evalReport,
            ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .start(evalPartitions).next(evalReport).build();
    }

    /** The report of every model of {@code s} from the partitions' sums. */
    static List<EvalReport> reports(EvalSettings s, List<EvalPartitions.Result> results) {
        int words = results.isEmpty() ? 0 : wordsOf(results);
        EvalPlan plan = new EvalPlan(List.of(), words);
        List<String> workers = results.stream().map(EvalPartitions.Result::worker).distinct().toList();
        List<EvalReport> out = new ArrayList<>();
        for (int m = 0; m < s.models().size(); m++) {
            List<String> notes = new ArrayList<>();
            notes.add("corpus: " + s.corpus() + ", documents with content hash ≡ 0 mod " + s.heldOutEvery()
                    + (s.maxDocs() > 0 ? " (first " + s.maxDocs() + ")" : ""));
            notes.add("subword tokenizer (teacher input, boundary targets β*): " + (s.sharedTokenizer() != null
                    ? s.sharedTokenizer() : "the Bolmo's own subword vocabulary"));
            notes.add("bits per byte: −Σ log₂ P / UTF-8 bytes; Bolmo P(byte) = P(byte, no-bnd) + P(byte, bnd) on its"
                    + " own predicted boundaries (plain forward, model.md §5.5); teacher Σ over its tokens; sums exact,"
                    + " so the figures equal a single bolmo eval pass");
            notes.add(results.size() + " partitions on " + workers.size() + " JVM(s): " + String.join(", ", workers));
            String title = "eval: " + s.models().get(m) + (s.teacher().isEmpty() ? "" : " vs teacher " + s.teacher());
            out.add(Evaluation.report(s.options(), title, notes, plan, EvalPartitions.total(results, m)));
        }
        return out;
    }

    private static int wordsOf(List<EvalPartitions.Result> results) {
        return results.get(0).words();
    }

    static void writeReports(Path output, EvalSettings s, List<EvalPartitions.Result> results) {
        List<EvalReport> reports = reports(s, results);
        StringBuilder md = new StringBuilder();
        JsonArray models = new JsonArray();
        for (int m = 0; m < reports.size(); m++) {
            md.append(reports.get(m).toMarkdown()).append('\n');
            JsonObject o = metrics(reports.get(m));
            o.addProperty("model", s.models().get(m));
            o.add("sums", JsonParser.parseString(EvalPartitions.total(results, m).toJson()));
            models.add(o);
        }
        md.append("| partition | worker | documents | task items | seconds |\n|---|---|---:|---:|---:|\n");
        JsonArray parts = new JsonArray();
        for (EvalPartitions.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f |%n", r.name(), r.worker(),
                    r.documents(), r.items(), r.seconds()));
            JsonObject o = new JsonObject();
            o.addProperty("name", r.name());
            o.addProperty("worker", r.worker());
            o.addProperty("documents", r.documents());
            o.addProperty("items", r.items());
            o.addProperty("seconds", r.seconds());
            parts.add(o);
        }
        JsonObject json = new JsonObject();
        json.add("models", models);
        json.add("partitions", parts);
        write(output.resolve(REPORT_MD), md.toString());
        write(output.resolve(REPORT_JSON),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n");
    }

    /** The report's figures as JSON (NaN, where there is no teacher, as null). */
    static JsonObject metrics(EvalReport r) {
        HeldOutResult h = r.heldOut();
        JsonObject o = new JsonObject();
        o.addProperty("documents", h.documents());
        o.addProperty("bytes", h.bytes());
        o.addProperty("bits_per_byte", h.bolmoBitsPerByte());
        put(o, "teacher_bits_per_byte", h.teacherBitsPerByte());
        o.addProperty("boundary_precision", h.boundaries().precision());
        o.addProperty("boundary_recall", h.boundaries().recall());
        o.addProperty("boundary_f1", h.boundaries().f1());
        o.addProperty("bytes_per_patch", h.bolmoBytesPerPatch());
        o.addProperty("bytes_per_token", h.bytesPerToken());
        JsonObject tasks = new JsonObject();
        for (Map.Entry<CharTask, TaskResult> e : r.tasks().entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("items", e.getValue().items());
            put(t, "teacher_accuracy", e.getValue().teacher());
            put(t, "bolmo_accuracy", e.getValue().bolmo());
            tasks.add(e.getKey().label(), t);
        }
        o.add("tasks", tasks);
        return o;
    }

    private static void put(JsonObject o, String name, double v) {
        if (Double.isNaN(v)) {
            o.add(name, com.google.gson.JsonNull.INSTANCE);
        } else {
            o.addProperty(name, v);
        }
    }

    static void write(Path file, String text) {
        AtomicFiles.writeFile(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }
}
