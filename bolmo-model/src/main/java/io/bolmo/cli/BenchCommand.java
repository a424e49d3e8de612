package io.bolmo.cli;

import io.bolmo.bench.Bench;
import io.bolmo.bench.BenchOptions;
import io.bolmo.bench.BenchReport;
import io.bolmo.engine.EngineChoice;
import io.bolmo.engine.EngineKind;
import io.bolmo.engine.WeightFormat;
import io.bolmo.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo bench}: parses the options, runs {@link Bench} and prints its Markdown table; {@code --out} appends
 * it to a file, {@code --json} writes its figures under stable names.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure memory bandwidth, matmul peak, Bolmo and subword prefill and decoding speed against"
                + " their bounds, and memory; print a Markdown table.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "golden",
            description = "Random-weight model shape: golden (tiny-olmo2 sized), bolmo-1b or bolmo-7b"
                    + " (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--global-layers", paramLabel = "N", defaultValue = "0",
            description = "Keep only the first N global layers of the preset, for quick runs (default: all).")
    int globalLayers;

    @Option(names = "--model", paramLabel = "DIR", description = "Benchmark this Bolmo directory instead of a preset.")
    Path model;

    @Option(names = "--dtype", paramLabel = "FORMAT", defaultValue = "f32",
            description = "Weight format: f32, bf16, q8_0 or q4_0 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "java, djl or auto (java when the Vector API module is present) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Compute threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--baseline", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "With the java engine, also time DJL f32 on the same shapes for the speed-ups"
                    + " (default: ${DEFAULT-VALUE}).")
    boolean baseline;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer.json for bytes/token and the retained-subword trie (default: bundled"
                    + " cl100k-8192).")
    Path tokenizer;

    @Option(names = "--prefill-bytes", paramLabel = "N", defaultValue = "1024",
            description = "Prompt length in bytes (default: ${DEFAULT-VALUE}).")
    int prefillBytes;

    @Option(names = "--decode-bytes", paramLabel = "N",
            description = "Bytes to generate (default: 10000 for golden, 64 otherwise).")
    Integer decodeBytes;

    @Option(names = "--subword-tokens", paramLabel = "N",
            description = "Subword tokens to decode; 0 skips the subword model (default: 1000 for golden, 0 for"
                    + " bolmo-7b, 16 otherwise).")
    Integer subwordTokens;

    @Option(names = "--boundary-bias", paramLabel = "B", defaultValue = "0",
            description = "Boundary bias while decoding (changes the patch rate of a random model).")
    double boundaryBias;

    @Option(names = "--stream-mib", paramLabel = "MIB", defaultValue = "256",
            description = "Size of each triad array in MiB (default: ${DEFAULT-VALUE}).")
    int streamMib;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random-weight seed.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Append the table to this Markdown file.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON to this file.")
    Path json;

    @Option(names = "--load-test", description = "Also write the preset as a --dtype checkpoint and time loading it"
            + " to the first decoded byte (java engine).")
    boolean loadTest;

    @Option(names = "--streams", paramLabel = "S", split = ",",
            description = "Only the continuous-batching table: aggregate decode bytes/s, per-stream latency and"
                    + " whether outputs equal the same prompts alone, at each of these concurrencies, e.g. 1,2,4,8.")
    int[] streams;

    @Option(names = "--hold-steps", paramLabel = "K", split = ",", defaultValue = "0",
            description = "With --streams: scheduler holdSteps to compare, e.g. 0,4 (default: ${DEFAULT-VALUE}).")
    int[] holdSteps;

    @Option(names = "--stream-repeats", paramLabel = "R", defaultValue = "1",
            description = "With --streams: interleaved rounds, the best of each setting kept (default: ${DEFAULT-VALUE}).")
    int streamRepeats;

    @Option(names = "--stream-bytes", paramLabel = "N", defaultValue = "32",
            description = "With --streams: bytes each stream decodes (default: ${DEFAULT-VALUE}).")
    int streamBytes;

    @Option(names = "--stream-prompt-bytes", paramLabel = "N", defaultValue = "32",
            description = "With --streams: prompt bytes of each stream, each a different slice of the sample text"
                    + " (default: ${DEFAULT-VALUE}).")
    int streamPromptBytes;

    @Option(names = "--prompt-kib", paramLabel = "K", split = ",",
            description = "Only the memory table: prefill prompts of these lengths in KiB (ascending) and report"
                    + " the peak resident memory after each, e.g. 1,4,16,64.")
    int[] promptKib;

    @Option(names = "--agreement", paramLabel = "N", defaultValue = "0",
            description = "Only the format table: --dtype against f32 on the same random preset over N positions"
                    + " (boundaries, next byte); java engine.")
    int agreement;

    @Option(names = "--gate-bias", paramLabel = "B", defaultValue = "0",
            description = "With --agreement: mLSTM input-gate bias of the random weights (the reference's training"
                    + " initialisation is -10) (default: ${DEFAULT-VALUE}).")
    float gateBias;

    @Override
    public Integer call() {
        BenchOptions options = options();
        BenchReport report = Bench.run(options, spec.commandLine().getErr());
        String markdown = report.markdown();
        spec.commandLine().getOut().print(markdown);
        spec.commandLine().getOut().flush();
        if (out != null) {
            append(out, markdown);
        }
        if (json != null) {
            AtomicFiles.writeFile(json, tmp -> Files.writeString(tmp, report.json(), StandardCharsets.UTF_8));
        }
        return 0;
    }

    private BenchOptions options() {
        if (model == null && !preset.equals("bolmo-1b") && !preset.equals("bolmo-7b") && !preset.equals("golden")) {
            throw bad("--preset = '" + preset + "' is invalid; allowed: golden, bolmo-1b, bolmo-7b");
        }
        WeightFormat format;
        EngineKind kind;
        try {
            format = WeightFormat.parse(dtype);
            kind = EngineKind.parse(engine);
        } catch (IllegalArgumentException e) {
            throw bad("--" + e.getMessage());
        }
        if (kind == EngineKind.AUTO) {
            kind = EngineChoice.vectorModulePresent() ? EngineKind.JAVA : EngineKind.DJL;
        }
        if (kind == EngineKind.JAVA && !EngineChoice.vectorModulePresent()) {
            throw new IllegalStateException("--engine = java needs the JDK's Vector API module: add "
                    + EngineChoice.VECTOR_FLAG + " to the java command (bin/bolmo does)");
        }
        if (kind == EngineKind.DJL && format != WeightFormat.F32) {
            throw bad("--dtype = '" + dtype + "' is invalid with --engine = djl; allowed: f32 (DJL runs f32 only)");
        }
        boolean golden = model == null && preset.equals("golden");
        int decode = decodeBytes != null ? decodeBytes : golden ? 10_000 : 64;
        int subword = subwordTokens != null ? subwordTokens : golden ? 1_000 : preset.equals("bolmo-7b") ? 0 : 16;
        if (globalLayers < 0) {
            throw bad("--global-layers = " + globalLayers + " is invalid: must be >= 0 (0 = all)");
        }
        if (threads < 0) {
            throw bad("--threads = " + threads + " is invalid: must be >= 0 (0 = one per core)");
        }
        if (prefillBytes < 2) {
            throw bad("--prefill-bytes = " + prefillBytes + " is invalid: must be >= 2");
        }
        if (decode < 1) {
            throw bad("--decode-bytes = " + decode + " is invalid: must be >= 1");
        }
        if (subword < 0) {
            throw bad("--subword-tokens = " + subword + " is invalid: must be >= 0 (0 = skip)");
        }
        if (streamMib < 1 || streamMib > 2047) {
            throw bad("--stream-mib = " + streamMib + " is invalid: must be in [1, 2047]");
        }
        if (streams != null && (streams.length == 0 || Arrays.stream(streams).anyMatch(v -> v < 1))) {
            throw bad("--streams = " + Arrays.toString(streams) + " is invalid: a list of concurrencies >= 1, e.g. 1,2,4,8");
        }
        if (promptKib != null && (promptKib.length == 0 || Arrays.stream(promptKib).anyMatch(v -> v < 1 || v > 1024))) {
            throw bad("--prompt-kib = " + Arrays.toString(promptKib) + " is invalid: lengths in [1, 1024] KiB, e.g. 1,4,16,64");
        }
        if (Arrays.stream(holdSteps).anyMatch(v -> v < 0) || streamRepeats < 1) {
            throw bad("--hold-steps = " + Arrays.toString(holdSteps) + ", --stream-repeats = " + streamRepeats
                    + " are invalid: hold steps must be >= 0 and repeats >= 1");
        }
        if (streamBytes < 2 || streamPromptBytes < 2) {
            throw bad("--stream-bytes = " + streamBytes + ", --stream-prompt-bytes = " + streamPromptBytes
                    + " are invalid: both must be >= 2");
        }
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw bad("--tokenizer = '" + tokenizer + "' is not a file");
        }
        if (agreement < 0 || (agreement > 0 && (kind != EngineKind.JAVA || model != null))) {
            throw bad("--agreement = " + agreement + " is invalid: positions >= 1, with --engine = java and a --preset");
        }
        if (loadTest && (kind != EngineKind.JAVA || model != null)) {
            throw bad("--load-test needs --engine = java and a --preset (it writes the preset as a checkpoint)");
        }
        return new BenchOptions(preset, model, globalLayers, tokenizer, format, kind, threads, baseline, prefillBytes,
                decode, subword, boundaryBias, streamMib, seed, streams, holdSteps, streamRepeats, streamBytes,
                streamPromptBytes, promptKib, loadTest, agreement, gateBias);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void append(Path file, String markdown) {
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            String text = old + (old.isEmpty() || old.endsWith("\n\n") ? "" : "\n") + markdown;
            AtomicFiles.writeFile(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
