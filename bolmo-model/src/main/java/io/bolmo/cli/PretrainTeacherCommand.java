package io.bolmo.cli;

import io.bolmo.bench.BenchResources;

import io.bolmo.config.OlmoConfig;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.teacher.EuroparlCorpus;
import io.bolmo.train.teacher.PretrainRun;
import io.bolmo.train.teacher.TeacherSettings;
import io.bolmo.train.teacher.TeacherShapes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo pretrain-teacher}: trains the small Olmo 3 style subword teacher on Lucene's Europarl sample and
 * writes it as a Hugging Face directory. Resumable: a checkpoint is saved under {@code --work}/checkpoints every
 * {@code --save-every} steps, and a rerun with the same {@code --work} and settings continues where it stopped. The
 * {@code pretrain} Spring Batch job runs the same {@link PretrainRun}.
 */
@Command(name = "pretrain-teacher", mixinStandardHelpOptions = true,
        description = "Pretrain the subword teacher (Olmo 3 style) on the Europarl sample; write a HF directory.")
final class PretrainTeacherCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Hugging Face directory to write (config.json, model.safetensors, tokenizer.json).")
    Path out;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Corpus copy and resumable state (default: OUT.work next to --out).")
    Path work;

    @Option(names = "--seed", defaultValue = "42", description = "Weights and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seq-len", defaultValue = "256", description = "Tokens per window (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--hidden", defaultValue = "128", description = "d_model (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "4", description = "Blocks, Olmo 3 pattern S S S F (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--window", defaultValue = "64", description = "Sliding window of the sliding layers (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--intermediate", description = "SwiGLU width (default: 4 × hidden).")
    Integer intermediate;

    @Option(names = "--held-out-every", defaultValue = "100",
            description = "Hold out 1 in N documents by content hash (default: ${DEFAULT-VALUE}).")
    int heldOutEvery;

    @Option(names = "--log-every", defaultValue = "10", description = "Steps between log lines (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--eval-every", defaultValue = "250", description = "Steps between held-out evaluations (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--eval-batches", defaultValue = "8", description = "Held-out batches per evaluation (default: ${DEFAULT-VALUE}; 0: all).")
    int evalBatches;

    @Option(names = "--save-every", defaultValue = "100", description = "Steps between saved states (default: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--max-minutes", defaultValue = "0",
            description = "Stop after this many minutes, saving state and exporting (0: run all steps).")
    double maxMinutes;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer.json (default: the bundled cl100k-8192; ids 8192..8195 are the specials).")
    Path tokenizer;

    @Option(names = "--dtype", defaultValue = "bf16", description = "Exported weights: bf16 or f32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        SafetensorsDtype exportType = check();
        PrintWriter log = spec.commandLine().getOut();
        Path workDir = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
        Path tokenizerJson = BenchResources.tokenizerFile(tokenizer);
        long began = System.nanoTime();
        PretrainRun.Parameters params = new PretrainRun.Parameters(workDir,
                List.of(EuroparlCorpus.materialise(workDir, 0)), tokenizerJson, null, config(), settings(), evalBatches,
                exportType, device);
        Path latest = RunCheckpoints.latest(workDir).orElse(null);
        try (PretrainRun run = PretrainRun.open(params, latest)) {
            log.printf(Locale.ROOT, "%s at step %d: %s, %,d parameters, %d documents; checkpoints in %s%n",
                    latest != null ? "resuming" : "starting", run.stepCount(), run.config().modelType(),
                    run.parameterCount(), run.documentCount(), workDir.resolve("checkpoints"));
            double tokens = 0;
            double seconds = 0;
            while (!run.finished()) {
                StepMetrics r = run.step();
                tokens += r.bytes();
                seconds += r.seconds();
                if (r.step() % logEvery == 0 || run.finished()) {
                    log.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e |g| %.3f %.0f tok/s%n", r.step(),
                            run.totalSteps(), r.total(), r.learningRate(), r.gradNorm(), tokens / seconds);
                }
                if (r.step() % evalEvery == 0) {
                    evaluate(run, log);
                }
                if (r.step() % saveEvery == 0) {
                    RunCheckpoints.prune(workDir, 2, run.saveCheckpoint());
                }
                if (maxMinutes > 0 && (System.nanoTime() - began) / 6e10 >= maxMinutes && !run.finished()) {
                    log.printf(Locale.ROOT, "stopping after %.1f minutes at step %d (rerun to continue)%n",
                            maxMinutes, r.step());
                    break;
                }
            }
            RunCheckpoints.prune(workDir, 2, run.saveCheckpoint());
            evaluate(run, log);
            run.exportFinal(out);
            log.printf(Locale.ROOT, "wrote %s (%s) after %d steps, %.1f minutes%n", out, exportType,
                    run.stepCount(), (System.nanoTime() - began) / 6e10);
        }
        return 0;
    }

    private static void evaluate(PretrainRun run, PrintWriter log) {
        run.evaluate().ifPresent(h -> log.printf(Locale.ROOT, "held-out step %d bits/byte %.4f (%d bytes)%n",
                h.step(), h.bitsPerByte(), h.bytes()));
    }

    private OlmoConfig config() {
        return TeacherShapes.olmo3(TeacherShapes.VOCAB, hidden, intermediate != null ? intermediate : 4 * hidden,
                layers, heads, window);
    }

    private TeacherSettings settings() {
        return new TeacherSettings(batchSize, seqLen, steps, lr, 0.05, 0.1, 1.0, seed, heldOutEvery, DataFormat.TEXT, false);
    }

    private SafetensorsDtype check() {
        if (!device.matches("cpu|gpu|gpu:\\d+")) {
            throw bad("--device = '" + device + "' is invalid; allowed: cpu, gpu, gpu:N");
        }
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw bad("--tokenizer = '" + tokenizer + "' is not a file");
        }
        positive("--steps", steps);
        positive("--batch-size", batchSize);
        positive("--seq-len", seqLen);
        positive("--hidden", hidden);
        positive("--layers", layers);
        positive("--heads", heads);
        positive("--window", window);
        positive("--log-every", logEvery);
        positive("--eval-every", evalEvery);
        positive("--save-every", saveEvery);
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw bad("--heads = " + heads + " must divide --hidden = " + hidden + " into an even head size");
        }
        if (!(lr > 0)) {
            throw bad("--lr = " + lr + " must be > 0");
        }
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "bf16" -> SafetensorsDtype.BF16;
            case "f32" -> SafetensorsDtype.F32;
            default -> throw bad("--dtype = '" + dtype + "' is invalid; allowed: bf16, f32");
        };
    }

    private void positive(String option, long value) {
        if (value <= 0) {
            throw bad(option + " = " + value + " must be > 0");
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
