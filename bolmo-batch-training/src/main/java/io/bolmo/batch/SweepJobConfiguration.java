package io.bolmo.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.bolmo.batch.partition.PartitionSteps;
import io.bolmo.batch.partition.WorkerIdentity;
import io.bolmo.eval.EvalReport;
import io.bolmo.plot.SweepChart;
import io.bolmo.eval.TaskResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@code sweep} job: one training run per grid point ({@link SweepGrid}), then an evaluation of each run's
 * final model, then a table and a plot. Step {@code sweepTrain} runs the grid points as partitions, each a normal
 * restartable {@code byteify} or {@code finetune} run into {@code OUTPUT/runs/run-NN} ({@link SweepRunStep}; locally
 * one at a time, since a JVM trains one run at a time, or on remote workers); step {@code sweepEval} evaluates each
 * final model as one {@code evalPartition} (the {@code eval} job's worker step, settings from the grid file's
 * {@code eval}); step {@code sweepReport} writes {@code sweep.md}, {@code sweep.json} and {@code sweep.png}. A
 * restart runs again only the runs and evaluations that did not complete, each run from its last checkpoint.
 */
@Configuration(proxyBeanMethods = false)
public class SweepJobConfiguration {

    public static final String JOB_NAME = "sweep";
    public static final String TABLE = "sweep.md";
    public static final String JSON = "sweep.json";
    public static final String PLOT = "sweep.png";

    /**
     * The grid file and every run's parameters are checked before anything runs, each run by its own job's
     * validation and each evaluation by the {@code eval} job's, under the same path confinement: the locations the
     * grid file names are confined like those of the jobs themselves.
     */
    static final class Validator extends JobValidator {

        Validator(PathConfinement confinement) {
            super(SweepJobParameters.JOB, confinement);
        }

        @Override
        List<Path> check(JobParameters parameters) {
            SweepJobParameters p = SweepJobParameters.of(parameters);
            SweepGrid grid = p.grid();
            Map<String, JobParametersValidator> runs = Map.of(
                    ByteifyJobConfiguration.JOB_NAME, new ByteifyJobParametersValidator(confinement()),
                    FinetuneJobConfiguration.JOB_NAME, new FinetuneJobConfiguration.Validator(confinement()));
            JobParametersValidator eval = EvalJobConfiguration.Validator.ofModelsToBeTrained(confinement());
            for (SweepGrid.Point point : grid.points()) { // first what claims nothing
                check(point, "evaluation", eval, grid.evalParameters(point, p.output()));
            }
            for (SweepGrid.Point point : grid.points()) {
                check(point, "run", runs.get(grid.job()), grid.runParameters(point, p.output()));
            }
            return null; // each run claims its own output
        }

        private static void check(SweepGrid.Point point, String what, JobParametersValidator v,
                Map<String, String> parameters) {
            try {
                v.validate(StringJobParameters.of(parameters));
            } catch (InvalidJobParametersException e) {
                throw new IllegalArgumentException(what + " " + point.name() + " (" + point.label() + ") of the grid"
                        + " is invalid: " + e.getMessage(), e);
            }
        }
    }

    @Bean
    JobDescription sweepDescription() {
        return SweepJobParameters.JOB;
    }

    @Bean
    Step sweepRun(JobRepository repository, @Lazy JobOperator operator, @Lazy Job byteify, @Lazy Job finetune,
            WorkerIdentity workerIdentity) {
        SweepRunStep step = new SweepRunStep(repository, operator, Map.of(ByteifyJobConfiguration.JOB_NAME, byteify,
                FinetuneJobConfiguration.JOB_NAME, finetune));
        step.registerStepExecutionListener(workerIdentity);
        return step;
    }

    @Bean
    @StepScope
    Partitioner sweepTrainPartitioner(@Value("#{stepExecution}") StepExecution manager) {
        return perRun(manager, (grid, point, output) -> {
            ExecutionContext c = new ExecutionContext();
            SweepRunStep.describe(c, grid.job(), grid.runParameters(point, output));
            return c;
        });
    }

    @Bean
    @StepScope
    Partitioner sweepEvalPartitioner(@Value("#{stepExecution}") StepExecution manager) {
        return perRun(manager, (grid, point, output) -> EvalPartitions.split(evalSettings(grid, point, output),
                List.of(point.name())).get(point.name()));
    }

    /** What one partition of a sweep step needs for its run. */
    @FunctionalInterface
    interface RunContext {
        ExecutionContext of(SweepGrid grid, SweepGrid.Point point, Path output);
    }

    /** One partition per grid point, named like the run ({@code run-000}, …). */
    private static Partitioner perRun(StepExecution manager, RunContext context) {
        return gridSize -> {
            SweepJobParameters p = SweepJobParameters.of(manager.getJobParameters());
            SweepGrid grid = p.grid();
            Map<String, ExecutionContext> out = new LinkedHashMap<>();
            for (SweepGrid.Point point : grid.points()) {
                out.put(point.name(), context.of(grid, point, p.output()));
            }
            return out;
        };
    }

    private static EvalSettings evalSettings(SweepGrid grid, SweepGrid.Point point, Path output) {
        return EvalJobParameters.of(StringJobParameters.of(grid.evalParameters(point, output))).settings();
    }

    @Bean
    Step sweepTrain(PartitionSteps steps, Step sweepRun, Partitioner sweepTrainPartitioner) {
        return steps.manager("sweepTrain", sweepRun, sweepTrainPartitioner, true);
    }

    @Bean
    Step sweepEval(PartitionSteps steps, Step evalPartition, Partitioner sweepEvalPartitioner) {
        return steps.manager("sweepEval", evalPartition, sweepEvalPartitioner, false);
    }

    @Bean
    Step sweepReport(JobRepository repository, PlatformTransactionManager tm) {
        return new StepBuilder("sweepReport", repository).tasklet((contribution, chunk) -> {
            StepExecution step = chunk.getStepContext().getStepExecution();
            SweepJobParameters p = SweepJobParameters.of(step.getJobParameters());
            writeReport(repository, step, p.grid(), p.output());
            return RepeatStatus.FINISHED;
        }, tm).build();
    }

    @Bean
    Job sweep(JobRepository repository, Step sweepTrain, Step sweepEval, Step sweepReport,
            ObjectProvider<PathConfinement> confinement) {
        return new JobBuilder(JOB_NAME, repository).validator(new Validator(confinement.getIfAvailable()))
                .start(sweepTrain).next(sweepEval).next(sweepReport).build();
    }

    private static void writeReport(JobRepository repository, StepExecution step, SweepGrid grid, Path output) {
        List<SweepGrid.Point> points = grid.points();
        List<String> keys = grid.keys();
        StringBuilder md = new StringBuilder("### sweep: " + grid.job() + " over " + String.join(" × ", keys)
                + "\n\n| run | " + String.join(" | ", keys) + " | final train loss | held-out bits/byte | boundary F1 |"
                + " bytes/patch | CUTE mean accuracy |\n|---|" + "---|".repeat(keys.size())
                + "---:|---:|---:|---:|---:|\n");
        JsonArray runs = new JsonArray();
        List<SweepChart.Point> chart = new ArrayList<>();
        for (SweepGrid.Point point : points) {
            EvalSettings s = evalSettings(grid, point, output);
            List<EvalPartitions.Result> results = EvalPartitions.collect(repository,
                    step.getJobExecution().getJobInstance(), List.of(point.name()), 1);
            EvalReport r = EvalJobConfiguration.reports(s, results).get(0);
            double loss = trainLoss(repository, step, point);
            double cute = r.tasks().values().stream().mapToDouble(TaskResult::bolmo).average().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f | %.3f | %s |%n", point.name(),
                    String.join(" | ", point.values().values()), fmt(loss, 4), r.heldOut().bolmoBitsPerByte(),
                    r.heldOut().boundaries().f1(), r.heldOut().bolmoBytesPerPatch(), fmt(cute, 3)));
            JsonObject o = EvalJobConfiguration.metrics(r);
            o.addProperty("run", point.name());
            JsonObject values = new JsonObject();
            point.values().forEach(values::addProperty);
            o.add("grid", values);
            if (!Double.isNaN(loss)) {
                o.addProperty("final_train_loss", loss);
            }
            o.addProperty("model", grid.finalModel(point, output).toString());
            runs.add(o);
            chart.add(new SweepChart.Point(List.copyOf(point.values().values()), r.heldOut().bolmoBitsPerByte(),
                    r.heldOut().boundaries().f1()));
        }
        EvalJobConfiguration.write(output.resolve(TABLE), md.toString());
        JsonObject json = new JsonObject();
        json.addProperty("job", grid.job());
        json.add("runs", runs);
        EvalJobConfiguration.write(output.resolve(JSON),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n");
        SweepChart.writePng(keys, chart, output.resolve(PLOT));
    }

    private static double trainLoss(JobRepository repository, StepExecution step, SweepGrid.Point point) {
        StepExecution run = repository.getLastStepExecution(step.getJobExecution().getJobInstance(),
                SweepRunStep.NAME + ":" + point.name());
        return run != null && run.getExecutionContext().containsKey(SweepRunStep.LOSS)
                ? run.getExecutionContext().getDouble(SweepRunStep.LOSS) : Double.NaN;
    }

    private static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
