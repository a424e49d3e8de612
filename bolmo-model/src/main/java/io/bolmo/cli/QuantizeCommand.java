package io.bolmo.cli;

import io.bolmo.engine.EngineChoice;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.QuantizedCheckpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bolmo quantize}: a checkpoint directory with its matrices in q8_0 or q4_0 ({@link QuantizedCheckpoint}). */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Write a copy of a Bolmo or Olmo directory whose matrices are q8_0 or q4_0 blocks, for the Java"
                + " engine.")
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "The checkpoint to quantize.")
    Path model;

    @Option(names = "--dtype", paramLabel = "FORMAT", defaultValue = "q8_0",
            description = "The stored format; allowed: q8_0, q4_0 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the quantized copy.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads that quantize; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        WeightFormat format;
        try {
            format = WeightFormat.parse(dtype);
        } catch (IllegalArgumentException e) {
            format = null;
        }
        if (format == null || !format.blocked()) {
            throw new ParameterException(spec.commandLine(), "--dtype = '" + dtype + "' is invalid; allowed: "
                    + QuantizedCheckpoint.ALLOWED);
        }
        if (!Files.isDirectory(model)) {
            throw new ParameterException(spec.commandLine(), "--model = '" + model + "' is not a directory");
        }
        if (threads < 0) {
            throw new ParameterException(spec.commandLine(), "--threads = " + threads + " is invalid: must be >= 0");
        }
        if (!EngineChoice.vectorModulePresent()) {
            throw new IllegalStateException("quantizing needs the JDK's Vector API module: add "
                    + EngineChoice.VECTOR_FLAG + " to the java command (bin/bolmo does)");
        }
        QuantizedCheckpoint.Report r = QuantizedCheckpoint.write(model, out, format, threads);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "quantized %d matrices to %s (%d tensors written): %.1f MB -> %.1f MB%n",
                r.quantized(), format, r.tensors(), r.sourceBytes() / 1e6, r.targetBytes() / 1e6);
        w.println("wrote " + out);
        w.flush();
        return 0;
    }
}
