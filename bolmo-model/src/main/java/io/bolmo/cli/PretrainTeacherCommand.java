package io.bolmo.cli;

import com.google.gson.JsonObject;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.InvalidParameterException;
import io.bolmo.train.RunDirectory;
import io.bolmo.train.RunDriver;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.teacher.PretrainParameters;
import io.bolmo.train.teacher.PretrainRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo pretrain-teacher}: trains the small Olmo 3 style subword teacher on Lucene's Europarl sample and
 * writes it as a Hugging Face directory. The parameters, their defaults and checks are {@link PretrainParameters}'s
 * and the loop is {@link RunDriver}'s, as in the {@code pretrain} job; this command parses and prints. Resumable: a
 * checkpoint is saved under {@code --work}/checkpoints every {@code --save-every} steps (with a held-out
 * evaluation), and a rerun with the same {@code --work} and settings continues where it stopped.
 */
@Command(name = "pretrain-teacher", mixinStandardHelpOptions = true,
        defaultValueProvider = PretrainTeacherCommand.Defaults.class,
        description = "Pretrain the subword teacher (Olmo 3 style) on the Europarl sample; write a HF directory.")
final class PretrainTeacherCommand implements Callable<Integer> {

    /** The defaults of {@link PretrainParameters} for the options named like its parameters. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            String d = arg instanceof OptionSpec o ? PretrainParameters.defaults().get(o.longestName().substring(2))
                    : null;
            return d == null || d.isEmpty() ? null : d; // empty: derived (the bundled tokenizer, ...)
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Hugging Face directory to write (config.json, model.safetensors, tokenizer.json).")
    Path out;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Checkpoints, metrics and the corpus copy (default: OUT.work next to --out).")
    Path work;

    @Option(names = "--seed", description = "Weights and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch-size", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    long batchSize;

    @Option(names = "--seq-len", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    long seqLen;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--hidden", description = "d_model (default: ${DEFAULT-VALUE}).")
    long hidden;

    @Option(names = "--layers", description = "Blocks, Olmo 3 pattern S S S F (default: ${DEFAULT-VALUE}).")
    long layers;

    @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    long heads;

    @Option(names = "--window", description = "Sliding window of the sliding layers (default: ${DEFAULT-VALUE}).")
    long window;

    @Option(names = "--intermediate", description = "SwiGLU width; 0: 4 × hidden (default: ${DEFAULT-VALUE}).")
    long intermediate;

    @Option(names = "--held-out-every",
            description = "Hold out 1 in N documents by content hash (default: ${DEFAULT-VALUE}).")
    long heldOutEvery;

    @Option(names = "--eval-batches",
            description = "Held-out batches per evaluation (default: ${DEFAULT-VALUE}; 0: all).")
    long evalBatches;

    @Option(names = "--log-every", defaultValue = "10", description = "Steps between log lines (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--save-every", defaultValue = "100",
            description = "Steps between checkpoints and held-out evaluations (default: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--max-minutes", defaultValue = "0",
            description = "Stop after this many minutes, saving state and exporting (0: run all steps).")
    double maxMinutes;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer.json (default: the bundled cl100k-8192; ids 8192..8195 are the specials).")
    Path tokenizer;

    @Option(names = "--dtype", description = "Exported weights: bf16 or f32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--device", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--overwrite", description = "Replace the checkpoints of another run in --work.")
    boolean overwrite;

    @Override
    public Integer call() {
        if (logEvery <= 0 || saveEvery <= 0) {
            throw bad((logEvery <= 0 ? "--log-every = " + logEvery : "--save-every = " + saveEvery)
                    + " must be > 0");
        }
        PrintWriter log = spec.commandLine().getOut();
        Path workDir = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
        PretrainParameters.Builder builder = builder(workDir);
        long began = System.nanoTime();
        try (RunDirectory.Lock lock = RunDirectory.lock(workDir)) {
            JsonObject owner = new JsonObject();
            owner.addProperty("command", "pretrain-teacher");
            owner.add("parameters", io.bolmo.train.RunCheckpoints.JSON.toJsonTree(builder.values()));
            RunDirectory.claim(workDir, owner, overwrite, List.of(workDir));
            PretrainParameters params = build(builder::build);
            Printer printer = new Printer(log, params.settings().totalSteps(), workDir);
            try (RunDriver driver = RunDriver.open(PretrainRun.opener(params), null, printer)) {
                PretrainRun run = (PretrainRun) driver.run();
                boolean stopped = false;
                while (!run.finished() && !stopped) {
                    long before = run.stepCount();
                    RunDriver.Chunk c = driver.chunk(saveEvery, () -> run.stepCount() > before
                            && maxMinutes > 0 && (System.nanoTime() - began) / 6e10 >= maxMinutes);
                    driver.prune(2, c.checkpoint());
                    stopped = c.steps() < saveEvery && !run.finished();
                }
                if (stopped) {
                    log.printf(Locale.ROOT, "stopping after %.1f minutes at step %d (rerun to continue)%n",
                            maxMinutes, run.stepCount());
                }
                driver.export(out);
                log.printf(Locale.ROOT, "wrote %s (%s) after %d steps, %.1f minutes%n", out,
                        params.exportDtype(), run.stepCount(), (System.nanoTime() - began) / 6e10);
            }
        }
        return 0;
    }

    /** Prints the start, a line every {@code --log-every} steps and every held-out evaluation. */
    private final class Printer implements RunDriver.Listener {

        private final PrintWriter log;
        private final long total;
        private final Path workDir;
        private double tokens;
        private double seconds;

        Printer(PrintWriter log, long total, Path workDir) {
            this.log = log;
            this.total = total;
            this.workDir = workDir;
        }

        @Override
        public void opened(RunDriver driver) {
            PretrainRun run = (PretrainRun) driver.run();
            driver.notes().forEach(log::println);
            log.printf(Locale.ROOT, "%s at step %d: %s, %,d parameters, %d documents; checkpoints in %s%n",
                    driver.resumedFrom() != null ? "resuming" : "starting", run.stepCount(), run.config().modelType(),
                    run.parameterCount(), run.documentCount(), workDir.resolve("checkpoints"));
        }

        @Override
        public void stepped(StepMetrics r) {
            tokens += r.bytes();
            seconds += r.seconds();
            if (r.step() % logEvery == 0 || r.step() == total) {
                log.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e |g| %.3f %.0f tok/s%n", r.step(), total,
                        r.total(), r.learningRate(), r.gradNorm(), tokens / seconds);
            }
        }

        @Override
        public void evaluated(HeldOutMetrics h) {
            log.printf(Locale.ROOT, "held-out step %d bits/byte %.4f (%d bytes)%n", h.step(), h.bitsPerByte(),
                    h.bytes());
        }
    }

    private PretrainParameters.Builder builder(Path workDir) {
        return build(() -> PretrainParameters.builder(workDir).seed(seed).steps(steps).batchSize(batchSize)
                .seqLen(seqLen).lr(lr).hidden(hidden).layers(layers).heads(heads).window(window)
                .intermediate(intermediate).heldOutEvery(heldOutEvery).evalBatches(evalBatches).tokenizer(tokenizer)
                .dtype(dtype).device(device).validate());
    }

    /** {@code what}, with a bad parameter reported as a usage error naming the option. */
    private <T> T build(java.util.function.Supplier<T> what) {
        try {
            return what.get();
        } catch (InvalidParameterException e) {
            throw bad("--" + e.name() + (e.value() == null ? "" : " = '" + e.value() + "'") + " is invalid: "
                    + e.rule());
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
