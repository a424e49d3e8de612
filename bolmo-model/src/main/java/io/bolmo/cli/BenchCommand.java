package io.bolmo.cli;

import ai.djl.ndarray.NDManager;
import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.io.PrintWriter;
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
 * {@code bolmo bench}: decoding speed against the memory-bandwidth bound, in one run, as a Markdown table.
 *
 * <ol>
 *   <li><b>Memory bandwidth</b>: a STREAM-style triad in Java ({@link StreamTriad}), 1 thread and all cores; the
 *       best is the bandwidth used for the bounds.</li>
 *   <li><b>Bolmo</b> at batch 1 ({@code --preset bolmo-1b|golden} with random weights, or {@code --model DIR}):
 *       creation time, whole-sequence forward over {@code --prefill-bytes} of English text, generation prefill
 *       bytes/s, and greedy decode bytes/s over {@code --decode-bytes} bytes.</li>
 *   <li><b>Subword model</b> (the source Olmo model of the same global shape: OLMo 2 1B for {@code bolmo-1b}),
 *       random weights, greedy decode tokens/s with the {@code OlmoGenerator} ({@link SubwordBench}); bytes/token from the
 *       subword tokenizer ({@code --tokenizer}, default the bundled cl100k-8192) on the sample text.</li>
 *   <li><b>Bandwidth bound</b>: decoding must read its weights ({@link WeightTraffic}). Bolmo reads all local
 *       weights per byte plus the global blocks per patch, at the patch rate measured while decoding; the subword
 *       model reads all non-embedding weights per token. bound = bandwidth / bytes read per unit; the table gives
 *       the measured rate as a fraction of it (goal ≥ 0.7).</li>
 *   <li><b>Memory</b>: resident set (VmRSS), peak, native (RSS − Java heap) after load and after decoding.</li>
 * </ol>
 *
 * <p>{@code --streams 1,2,4,8} measures continuous batching instead ({@link StreamsBench}): aggregate decode bytes/s
 * and per-stream latency at each concurrency; nothing else runs.
 *
 * <p>{@code --out FILE} appends the table, with the command line and the machine, to a Markdown file. Figures are
 * noisy on a shared machine; compare rows of one run rather than runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure memory bandwidth, Bolmo and subword decoding speed, and memory; print a Markdown table.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "golden",
            description = "Random-weight model shape: bolmo-1b or golden (tiny-olmo2 sized). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--model", paramLabel = "DIR", description = "Benchmark this Bolmo directory instead of a preset.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer.json for bytes/token (default: bundled cl100k-8192).")
    Path tokenizer;

    @Option(names = "--prefill-bytes", paramLabel = "N", defaultValue = "1024",
            description = "Prompt length in bytes (default: ${DEFAULT-VALUE}).")
    int prefillBytes;

    @Option(names = "--decode-bytes", paramLabel = "N",
            description = "Bytes to generate (default: 10000 for golden, 64 otherwise).")
    Integer decodeBytes;

    @Option(names = "--subword-tokens", paramLabel = "N",
            description = "Subword tokens to decode (default: 1000 for golden, 16 otherwise).")
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

    @Option(names = "--streams", paramLabel = "S", split = ",",
            description = "Only the continuous-batching table: aggregate decode bytes/s and per-stream latency at"
                    + " each of these concurrencies, e.g. 1,2,4,8,16.")
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

    @Override
    public Integer call() {
        checkOptions();
        if (streams != null) {
            return callStreams();
        }
        boolean golden = model == null && preset.equals("golden");
        int decode = decodeBytes != null ? decodeBytes : golden ? 10_000 : 64;
        int subword = subwordTokens != null ? subwordTokens : golden ? 1_000 : 16;
        PrintWriter log = spec.commandLine().getErr();
        BenchTable table = new BenchTable();

        log.println("bench: memory bandwidth (STREAM triad, " + streamMib + " MiB arrays)");
        int elements = (int) (streamMib * (1L << 20) / 8);
        int cores = Runtime.getRuntime().availableProcessors();
        double bw1 = StreamTriad.bestBytesPerSecond(elements, 1, 5);
        double bwN = StreamTriad.bestBytesPerSecond(elements, cores, 5);
        double bandwidth = Math.max(bw1, bwN);
        System.gc(); // drop the triad arrays so the memory figures below are the model's
        table.bandwidth(bw1, bwN, cores);

        Path tokenizerJson = BenchResources.tokenizerFile(tokenizer);
        String prompt = BenchResources.sampleText(prefillBytes);
        runBolmo(table, log, tokenizerJson, prompt, decode, bandwidth);
        runSubword(table, log, tokenizerJson, subword, bandwidth);

        String markdown = table.markdown(describe());
        spec.commandLine().getOut().print(markdown);
        spec.commandLine().getOut().flush();
        if (out != null) {
            append(out, markdown);
        }
        return 0;
    }

    private void runBolmo(BenchTable table, PrintWriter log, Path tokenizerJson, String prompt, int decode,
            double bandwidth) {
        log.println("bench: Bolmo " + modelName() + ": create, forward " + prompt.length() + " B, decode " + decode + " B");
        ProcessMemory[] loaded = new ProcessMemory[1];
        BolmoBench.Result r = withBolmo(tokenizerJson, (m, trie, seconds) -> {
            table.created("Bolmo " + modelName(), m.weights().parameterCount(), seconds, loaded[0] = ProcessMemory.now());
            return BolmoBench.run(m, trie, prompt, decode, boundaryBias);
        });
        table.bolmo(r, bandwidth, loaded[0]);
    }

    /** The continuous-batching table alone ({@link StreamsBench}). */
    private Integer callStreams() {
        PrintWriter log = spec.commandLine().getErr();
        log.println("bench: Bolmo " + modelName() + ": " + Arrays.toString(streams) + " streams of "
                + streamBytes + " B after " + streamPromptBytes + " B prompts");
        String markdown = withBolmo(BenchResources.tokenizerFile(tokenizer), (m, trie, seconds) -> StreamsBench
                .markdown(StreamsBench.run(m, trie, streams, holdSteps, streamPromptBytes, streamBytes, boundaryBias,
                        streamRepeats, log), describe())
                + StreamsBench.globalMarkdown(streams, StreamsBench.globalStepSeconds(m, streams)));
        spec.commandLine().getOut().print(markdown);
        spec.commandLine().getOut().flush();
        if (out != null) {
            append(out, markdown);
        }
        return 0;
    }

    /** What runs on the benchmarked Bolmo. */
    @FunctionalInterface
    private interface OnBolmo<T> {
        T run(BolmoModel model, SubwordSuffixTrie trie, double createSeconds);
    }

    /** Loads {@code --model} or creates the preset with random weights, runs {@code body}, frees the model. */
    private <T> T withBolmo(Path tokenizerJson, OnBolmo<T> body) {
        long t0 = System.nanoTime();
        if (model != null) {
            try (Bolmo bolmo = Bolmo.load(model, Bolmo.Options.defaults().withDevice("cpu").withEngine("djl"))) {
                SubwordSuffixTrie trie = bolmo.config().addExpandedEmbeddings()
                        ? SubwordSuffixTrie.build(SubwordVocabulary.load(SubwordVocabulary.locate(model,
                                bolmo.config().subwordVocabulary(), tokenizer)))
                        : null;
                return body.run(((DjlBolmoEngine) bolmo.engine()).model(), trie, (System.nanoTime() - t0) / 1e9);
            }
        }
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(tokenizerJson));
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BolmoModel m = BolmoModel.create(bolmoConfig(), Weights.from(manager, new RandomWeights(seed)))) {
            return body.run(m, trie, (System.nanoTime() - t0) / 1e9);
        }
    }

    private void runSubword(BenchTable table, PrintWriter log, Path tokenizerJson, int tokens, double bandwidth) {
        OlmoConfig config = olmoConfig();
        log.println("bench: subword model (" + config.modelType() + ", d " + config.hiddenSize() + ", "
                + config.numHiddenLayers() + " layers): create, decode " + tokens + " tokens");
        int[] sampleTokens = BenchResources.tokenize(tokenizerJson, BenchResources.sampleText());
        double bytesPerToken = BenchResources.sampleText().getBytes(StandardCharsets.UTF_8).length
                / (double) sampleTokens.length;
        // ids of the bundled tokenizer fit every preset; a larger --tokenizer may not fit a tiny model
        int[] prompt = Arrays.stream(Arrays.copyOf(sampleTokens, Math.min(16, sampleTokens.length)))
                .map(t -> Math.min(t, config.vocabSize() - 1)).toArray();
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                OlmoModel m = OlmoModel.create(config, Weights.from(manager, new RandomWeights(seed)))) {
            table.created("subword " + config.modelType(), m.weights().parameterCount(),
                    (System.nanoTime() - t0) / 1e9, ProcessMemory.now());
            SubwordBench.Result r = SubwordBench.run(m, SubwordVocabulary.load(tokenizerJson), prompt, tokens);
            table.subword(r, bandwidth, bytesPerToken, tokenizer == null ? "cl100k-8192 (bundled)" : tokenizer.toString());
        }
    }

    private BolmoConfig bolmoConfig() {
        return preset.equals("bolmo-1b") ? ModelPresets.bolmoOneB() : ModelPresets.goldenTiny();
    }

    private OlmoConfig olmoConfig() {
        if (model != null) {
            try (HfCheckpoint checkpoint = HfCheckpoint.open(model)) {
                return ModelPresets.sourceModelOf(checkpoint.bolmoConfig());
            }
        }
        return preset.equals("bolmo-1b") ? ModelPresets.olmo2OneB() : ModelPresets.sourceModelOf(bolmoConfig());
    }

    private String modelName() {
        return model != null ? model.toString() : preset + " (random weights, seed " + seed + ")";
    }

    private String describe() {
        return String.format("Bolmo %s; %d cores; Java %s; torch threads: intra-op %s, inter-op %s",
                modelName(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    }

    private void checkOptions() {
        if (model == null && !preset.equals("bolmo-1b") && !preset.equals("golden")) {
            throw bad("--preset = '" + preset + "' is invalid; allowed: bolmo-1b, golden");
        }
        if (prefillBytes < 2) {
            throw bad("--prefill-bytes = " + prefillBytes + " is invalid: must be >= 2");
        }
        if (decodeBytes != null && decodeBytes < 1) {
            throw bad("--decode-bytes = " + decodeBytes + " is invalid: must be >= 1");
        }
        if (subwordTokens != null && subwordTokens < 1) {
            throw bad("--subword-tokens = " + subwordTokens + " is invalid: must be >= 1");
        }
        if (streamMib < 1 || streamMib > 2047) {
            throw bad("--stream-mib = " + streamMib + " is invalid: must be in [1, 2047]");
        }
        if (streams != null && (streams.length == 0 || Arrays.stream(streams).anyMatch(v -> v < 1))) {
            throw bad("--streams = " + Arrays.toString(streams) + " is invalid: a list of concurrencies >= 1, e.g. 1,2,4,8");
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
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void append(Path file, String markdown) {
        try {
            String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            String text = old + (old.isEmpty() || old.endsWith("\n\n") ? "" : "\n") + markdown;
            AtomicFiles.writeFile(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + file, e);
        }
    }
}
