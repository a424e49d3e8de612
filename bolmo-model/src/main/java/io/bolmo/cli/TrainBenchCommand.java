package io.bolmo.cli;

import io.bolmo.bench.TrainBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bolmo bench-train}: parses the options of {@link TrainBench} and prints its table. */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Measure Stage 1 training throughput (bytes/s) and the fraction of the matmul peak.")
final class TrainBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dim", defaultValue = "128", description = "Hidden size of teacher and student (default 128).")
    int dim;

    @Option(names = "--layers", defaultValue = "4", description = "Teacher (global) layers (default 4).")
    int layers;

    @Option(names = "--steps", defaultValue = "30", description = "Timed optimizer steps (default 30).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default 5).")
    int warmup;

    @Option(names = "--batch-size", defaultValue = "4", description = "Windows per batch (default 4).")
    int batchSize;

    @Option(names = "--seq-len", defaultValue = "256", description = "Bytes per window (default 256).")
    int seqLen;

    @Override
    public Integer call() throws IOException {
        TrainBench.Options options;
        try {
            options = new TrainBench.Options(dim, layers, steps, warmup, batchSize, seqLen);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(TrainBench.run(options).markdown());
        out.flush();
        return 0;
    }
}
