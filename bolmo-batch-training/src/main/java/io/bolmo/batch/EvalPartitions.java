package io.bolmo.batch;

import io.bolmo.eval.EvalModels;
import io.bolmo.eval.EvalPlan;
import io.bolmo.eval.EvalSums;
import io.bolmo.eval.Evaluation;
import io.bolmo.eval.TaskExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Evaluation by partitions: {@link #split} cuts the held-out documents and the task items of one evaluation into
 * contiguous ranges, one partition context each; {@link Worker} (the worker step {@code evalPartition}) scores one
 * range for every model and stores the exact sums in its context ({@link EvalSums}: integers and exact sums, so any
 * grouping adds up to the same totals); {@link #collect} adds the partitions' sums up in partition order for the
 * report. A partition is one transaction: a lost one is scored again whole on restart, a completed one is never
 * scored again, so nothing is counted twice.
 */
final class EvalPartitions {

    static final String WORKER_STEP = "evalPartition";
    /** Partition context: the {@link EvalSettings} JSON. */
    static final String SETTINGS = "bolmo.eval.settings";
    static final String DOCS_FROM = "bolmo.eval.documents-from";
    static final String DOCS_TO = "bolmo.eval.documents-to";
    static final String ITEMS_FROM = "bolmo.eval.items-from";
    static final String ITEMS_TO = "bolmo.eval.items-to";
    /** Partition context: distinct held-out words the task items come from (for the report). */
    static final String WORDS = "bolmo.eval.words";
    /** Partition context: the sums of model {@code i}, {@code bolmo.eval.sums.i}. */
    static final String SUMS = "bolmo.eval.sums.";
    static final String SECONDS = "bolmo.eval.seconds";

    private static final Logger LOG = LoggerFactory.getLogger(EvalPartitions.class);

    private EvalPartitions() {}

    /**
     * {@code n} partition contexts over the held-out documents and task items of {@code settings}, named by
     * {@code names} (in order).
     */
    static Map<String, ExecutionContext> split(EvalSettings settings, List<String> names) {
        List<String> docs = settings.heldOutDocuments();
        EvalPlan plan = Evaluation.plan(docs, settings.options());
        int n = names.size();
        Map<String, ExecutionContext> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ExecutionContext c = new ExecutionContext();
            c.putString(SETTINGS, settings.toJson());
            c.putInt(DOCS_FROM, (int) ((long) docs.size() * i / n));
            c.putInt(DOCS_TO, (int) ((long) docs.size() * (i + 1) / n));
            c.putInt(ITEMS_FROM, (int) ((long) plan.items().size() * i / n));
            c.putInt(ITEMS_TO, (int) ((long) plan.items().size() * (i + 1) / n));
            c.putInt(WORDS, plan.words());
            out.put(names.get(i), c);
        }
        return out;
    }

    /** Partition names {@code PREFIX-000 …}, zero-padded so they sort in order. */
    static List<String> names(String prefix, int n) {
        int width = Math.max(3, String.valueOf(n - 1).length());
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + "-" + String.format("%0" + width + "d", i));
        }
        return out;
    }

    /** Scores one partition: its documents and items, for every model, into its context. */
    static final class Worker implements Tasklet {

        /** The held-out documents and plan of the last evaluation this JVM worked on (one corpus scan each). */
        private record Shared(String key, List<String> documents, EvalPlan plan) {}

        private Shared shared;

        /** The documents and plan of {@code s} in job execution {@code execution}, read once per JVM. */
        private synchronized Shared shared(long execution, EvalSettings s) {
            String key = execution + " " + s.toJson();
            if (shared == null || !shared.key().equals(key)) {
                List<String> all = s.heldOutDocuments();
                shared = new Shared(key, all, Evaluation.plan(all, s.options()));
            }
            return shared;
        }

        @Override
        public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
            long start = System.nanoTime();
            StepExecution step = chunkContext.getStepContext().getStepExecution();
            ExecutionContext ctx = step.getExecutionContext();
            EvalSettings s = EvalSettings.fromJson(ctx.getString(SETTINGS));
            Shared data = shared(step.getJobExecutionId(), s);
            List<String> docs = data.documents().subList(ctx.getInt(DOCS_FROM), ctx.getInt(DOCS_TO));
            List<TaskExample> items = data.plan().items().subList(ctx.getInt(ITEMS_FROM), ctx.getInt(ITEMS_TO));
            Path tokenizer = s.sharedTokenizer();
            EvalSums first = null;
            for (int m = 0; m < s.models().size(); m++) {
                // the teacher is scored once, with the first model; the others copy its figures
                Path teacher = m == 0 ? s.teacherDir() : null;
                try (EvalModels models = EvalModels.open(Path.of(s.models().get(m)), teacher, tokenizer, s.load())) {
                    EvalSums sums = models.evaluation(s.options()).score(docs, items, models.bolmoScorer(),
                            models.teacherScorer());
                    if (m == 0) {
                        first = sums;
                    } else if (first.heldOut().hasTeacher()) {
                        sums = sums.withTeacherOf(first);
                    }
                    ctx.putString(SUMS + m, sums.toJson());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ctx.putDouble(SECONDS, seconds);
            contribution.incrementWriteCount(docs.size());
            LOG.info("{}: {} documents and {} task items of {} model(s) in {} s", step.getStepName(), docs.size(),
                    items.size(), s.models().size(), String.format(java.util.Locale.ROOT, "%.2f", seconds));
            return RepeatStatus.FINISHED;
        }
    }

    /** One partition's results, as its last (completed) execution stored them. */
    record Result(String name, String worker, int documents, int items, int words, double seconds,
            List<EvalSums> sums) {}

    /**
     * The results of partitions {@code names} of {@code instance}, in that order; each must have completed (in
     * this or an earlier execution of the instance).
     */
    static List<Result> collect(JobRepository repository, JobInstance instance, List<String> names, int models) {
        List<Result> out = new ArrayList<>();
        for (String name : names) {
            StepExecution p = repository.getLastStepExecution(instance, WORKER_STEP + ":" + name);
            if (p == null || p.getStatus() != BatchStatus.COMPLETED) {
                throw new IllegalStateException("partition " + name + " has not completed ("
                        + (p == null ? "never ran" : p.getStatus()) + ")");
            }
            ExecutionContext c = p.getExecutionContext();
            List<EvalSums> sums = new ArrayList<>();
            for (int m = 0; m < models; m++) {
                sums.add(EvalSums.fromJson(c.getString(SUMS + m)));
            }
            out.add(new Result(name, c.getString(io.bolmo.batch.partition.WorkerIdentity.KEY, "?"),
                    c.getInt(DOCS_TO) - c.getInt(DOCS_FROM), c.getInt(ITEMS_TO) - c.getInt(ITEMS_FROM),
                    c.getInt(WORDS), c.getDouble(SECONDS), sums));
        }
        return out;
    }

    /** The sum over {@code results} of model {@code m}'s sums, added in partition order. */
    static EvalSums total(List<Result> results, int m) {
        EvalSums t = null;
        for (Result r : results) {
            t = t == null ? r.sums().get(m) : t.plus(r.sums().get(m));
        }
        return t;
    }
}
