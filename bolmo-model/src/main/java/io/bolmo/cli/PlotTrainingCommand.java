package io.bolmo.cli;

import io.bolmo.plot.TrainingCurves;
import io.bolmo.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo plot-training}: renders the training curves of a byteifying run as a PNG, from the
 * {@code metrics.jsonl} that the batch jobs write per stage.
 */
@Command(name = "plot-training", mixinStandardHelpOptions = true,
        description = "Render a byteify run's training curves (losses, boundary accuracy/F1, bits per byte) as PNG.")
final class PlotTrainingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", paramLabel = "DIR", required = true,
            description = "A byteify job's output directory (stage1/metrics.jsonl, stage2/metrics.jsonl), or any run "
                    + "directory with a metrics.jsonl (a fine-tune, a pretraining).")
    Path run;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--smooth", defaultValue = "25", description = "Steps per moving average (default: ${DEFAULT-VALUE}).")
    int smooth;

    @Override
    public Integer call() {
        if (smooth < 1) {
            throw new ParameterException(spec.commandLine(), "--smooth = " + smooth + " must be >= 1");
        }
        List<TrainingCurves.Run> runs = new ArrayList<>();
        for (String stage : List.of("stage1", "stage2")) {
            Path file = run.resolve(stage).resolve(MetricsLog.FILE);
            if (Files.isRegularFile(file)) {
                runs.add(new TrainingCurves.Run(stage.replace("stage", "stage "), MetricsLog.read(file)));
            }
        }
        if (runs.isEmpty() && Files.isRegularFile(run.resolve(MetricsLog.FILE))) {
            runs.add(new TrainingCurves.Run(run.getFileName().toString(), MetricsLog.read(run.resolve(MetricsLog.FILE))));
        }
        if (runs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--run = '" + run + "' has no " + MetricsLog.FILE
                    + " in stage1/, stage2/ or itself");
        }
        TrainingCurves.figure(runs, smooth).writePng(out);
        spec.commandLine().getOut().printf("wrote %s (%d stages, %d steps)%n", out, runs.size(),
                runs.stream().mapToInt(r -> r.entries().size()).sum());
        return 0;
    }
}
