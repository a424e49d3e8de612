package io.bolmo.bench;

import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.EngineKind;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.djl.DjlEngines;
import io.bolmo.engine.vector.VectorBolmoEngine;
import io.bolmo.engine.vector.VectorEngine;
import io.bolmo.engine.vector.VectorEngines;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.nn.RandomWeights;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bolmo bench}: decoding and prefill speed against the machine's own limits, in one run.
 *
 * <ol>
 *   <li><b>Memory bandwidth</b>: a STREAM-style triad ({@link StreamTriad}), 1 thread and all cores; the better is
 *       the bandwidth of the bounds. With the Java engine also a read-only stream ({@link ReadBandwidth}), and each
 *       decode's fraction of that second, lower bound. <b>Matmul peak</b> ({@link MatmulPeak}): libtorch's and the Java engine's
 *       float32 GEMM.</li>
 *   <li><b>Bolmo</b> at batch 1 on the chosen engine and weight format: creation, whole-sequence pass, prefill
 *       (bytes/s, counted FLOP/s, fraction of the matmul peak), greedy decode bytes/s against its bound =
 *       bandwidth / weight bytes read per byte ({@link WeightTraffic}, at the patch rate measured while decoding).</li>
 *   <li><b>Baseline</b>: the same shapes on DJL float32 in the same run, for the speed-ups.</li>
 *   <li><b>Subword model</b> (the source Olmo of the same global shape) on the same engine and format: decode and
 *       its bound, and Bolmo/subword against the ratio of their bounds.</li>
 *   <li>Optional tables: continuous batching ({@code --streams}), peak memory against prompt length
 *       ({@code --prompt-kib}), and loading a checkpoint directory to the first byte ({@code --load-test}).</li>
 * </ol>
 * Figures are noisy on a shared machine: compare rows of one run rather than runs.
 */
public final class Bench {

    /** Bytes of prompt before the timed decode (the long prompt's prefill is timed on its own). */
    static final int DECODE_PROMPT = 64;

    private final BenchOptions o;
    private final PrintWriter log;
    private final BenchReport report;
    /** Read-only bandwidth of the run (Java engine runs only), NaN when not measured. */
    private double readBandwidth = Double.NaN;

    private Bench(BenchOptions options, PrintWriter log) {
        this.o = options;
        this.log = log;
        this.report = new BenchReport(describe());
    }

    /** Runs what {@code options} ask for; progress goes to {@code log}. */
    public static BenchReport run(BenchOptions options, PrintWriter log) {
        Bench b = new Bench(options, log);
        if (options.streams() != null) {
            b.streams();
        } else if (options.promptKib() != null) {
            b.promptMemory();
        } else if (options.agreement() > 0) {
            b.agreement();
        } else {
            b.full();
        }
        return b.report;
    }

    // ---------------------------------------------------------------------------------------------- the main table

    private void full() {
        double bandwidth = bandwidth();
        Path tokenizerJson = BenchResources.tokenizerFile(o.tokenizer());
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(tokenizerJson));
        String prompt = BenchResources.sampleText(o.prefillBytes());
        log.println("bench: float32 matmul peak");
        log.flush();
        MatmulPeak.Result peak = MatmulPeak.measure(threads(), o.java());
        report.row("matmul peak, float32", gflops(peak.best()), String.format(Locale.ROOT,
                "libtorch 1024³ %s, Java engine [2048, 2048] × 256 %s; the better", gflops(peak
                        .djlFlopsPerSecond()), o.java() ? gflops(peak.javaFlopsPerSecond()) : "not run"));
        report.figure("matmul_peak_flops_per_s", peak.best());
        String name = "Bolmo " + modelName() + ", " + o.engine() + " " + o.dtype();
        Measured main = bolmo(name, o.engine(), o.dtype(), trie, prompt, o.decodeBytes(), bandwidth, peak, "");
        if (o.baseline() && o.java()) {
            Measured djl = bolmo("Bolmo " + modelName() + ", djl f32", EngineKind.DJL, WeightFormat.F32, trie, prompt,
                    Math.min(o.decodeBytes(), 1000), bandwidth, peak, "djl_");
            double decode = main.decode.decodeBytesPerSecond() / djl.decode.decodeBytesPerSecond();
            double prefill = main.decode.prefillBytesPerSecond() / djl.decode.prefillBytesPerSecond();
            report.row("decode, java " + o.dtype() + " / djl f32", String.format(Locale.ROOT, "%.2f x", decode),
                    "same shapes, same run");
            report.row("prefill, java " + o.dtype() + " / djl f32", String.format(Locale.ROOT, "%.2f x", prefill),
                    o.prefillBytes() + " B prompt, same run");
            report.figure("decode_speedup_vs_djl_f32", decode);
            report.figure("prefill_speedup_vs_djl_f32", prefill);
        }
        if (o.subwordTokens() > 0) {
            subword(tokenizerJson, bandwidth, main);
        }
        if (o.loadTest()) {
            loadToFirstByte(tokenizerJson, prompt);
        }
        report.figure("peak_rss_bytes", ProcessMemory.now().peakRssBytes());
    }

    private double bandwidth() {
        log.println("bench: memory bandwidth (STREAM triad, " + o.streamMib() + " MiB arrays)");
        log.flush();
        int elements = (int) (o.streamMib() * (1L << 20) / 8);
        int cores = Runtime.getRuntime().availableProcessors();
        double one = StreamTriad.bestBytesPerSecond(elements, 1, 5);
        double all = StreamTriad.bestBytesPerSecond(elements, cores, 5);
        System.gc(); // drop the triad arrays so the memory figures below are the model's
        report.row("memory bandwidth, triad, 1 thread", gbs(one), "best of 5, 24 B per element");
        report.row("memory bandwidth, triad, " + cores + " threads", gbs(all), "best of 5");
        report.row("memory bandwidth used for the bounds", gbs(Math.max(one, all)), "the better of the two");
        report.figure("triad_bytes_per_s", Math.max(one, all));
        if (o.java()) {
            readBandwidth = ReadBandwidth.bestBytesPerSecond(2L * o.streamMib() << 20, cores, 5);
            System.gc();
            report.row("memory bandwidth, read only, " + cores + " threads", gbs(readBandwidth),
                    "best of 5, a vector sum (decoding only reads weights)");
            report.figure("read_bytes_per_s", readBandwidth);
        }
        return Math.max(one, all);
    }

    /** What one Bolmo measurement gives the rest of the run. */
    private record Measured(BolmoBench.Result decode, WeightTraffic traffic) {}

    private Measured bolmo(String name, EngineKind engine, WeightFormat format, SubwordSuffixTrie trie, String prompt,
            int decode, double bandwidth, MatmulPeak.Result peak, String prefix) {
        log.println("bench: " + name + ": create, forward " + prompt.length() + " B, decode " + decode + " B");
        log.flush();
        long t0 = System.nanoTime();
        try (Loaded m = loadBolmo(engine, format, trie)) {
            double created = (System.nanoTime() - t0) / 1e9;
            ProcessMemory loaded = ProcessMemory.now();
            WeightTraffic traffic = WeightTraffic.of(m.engine);
            report.row(name + ": create", String.format(Locale.ROOT, "%.2f s", created), String.format(Locale.ROOT,
                    "%,d parameters, %s of weights in memory", m.engine.parameterCount(),
                    ProcessMemory.gb(weightBytes(m.engine))));
            report.row(name + ": memory after load", ProcessMemory.gb(loaded.rssBytes()) + " RSS", loaded.describe());
            BolmoBench.Result r = BolmoBench.run(m.engine, m.trie, prompt, DECODE_PROMPT, decode,
                    o.boundaryBias(), prefix.isEmpty());
            double perByte = traffic.bytesPerUnit(r.bytesPerPatch());
            double bound = bandwidth / perByte;
            double flops = PrefillFlops.of(m.config, r.promptBytes(), r.prefillPatches()) / r.prefillSeconds();
            if (!Double.isNaN(r.forwardSeconds())) {
                report.row(name + ": forward, " + r.promptBytes() + " B", String.format(Locale.ROOT, "%.3f s",
                        r.forwardSeconds()), "whole sequence, all logits (Engine.score)");
                report.figure(prefix + "forward_s", r.forwardSeconds());
            }
            report.row(name + ": prefill", String.format(Locale.ROOT, "%.1f B/s", r.prefillBytesPerSecond()),
                    String.format(Locale.ROOT, "%d B prompt in %.3f s; %s counted = %.2f of the matmul peak",
                            r.promptBytes(), r.prefillSeconds(), gflops(flops), flops / peak.best()));
            report.row(name + ": decode", String.format(Locale.ROOT, "%.2f B/s", r.decodeBytesPerSecond()),
                    String.format(Locale.ROOT, "%d B in %.2f s after a %d B prompt, greedy, %.2f B/patch",
                            r.decodedBytes(), r.decodeSeconds(), DECODE_PROMPT, r.bytesPerPatch()));
            report.row(name + ": weights read per byte", ProcessMemory.gb((long) perByte), String.format(Locale.ROOT,
                    "local %s per byte + global %s per patch", ProcessMemory.gb(traffic.perStepBytes()),
                    ProcessMemory.gb(traffic.perPatchBytes())));
            report.row(name + ": decode bound", String.format(Locale.ROOT, "%.2f B/s", bound),
                    "bandwidth / weights read per byte");
            report.row(name + ": decode / bound", String.format(Locale.ROOT, "%.2f", r.decodeBytesPerSecond() / bound),
                    "goal ≥ 0.8 (java engine)" + (Double.isNaN(readBandwidth) ? "" : String.format(Locale.ROOT,
                            "; %.2f of the read-only bound (%.2f B/s)", r.decodeBytesPerSecond() * perByte
                                    / readBandwidth, readBandwidth / perByte)));
            report.row(name + ": memory after decode", ProcessMemory.gb(r.afterDecode().rssBytes()) + " RSS",
                    r.afterDecode().describe() + "; +" + ProcessMemory.gb(r.afterDecode().rssBytes()
                            - loaded.rssBytes()) + " since load");
            report.figure(prefix + "create_s", created);
            report.figure(prefix + "weight_bytes", weightBytes(m.engine));
            report.figure(prefix + "prefill_bytes_per_s", r.prefillBytesPerSecond());
            report.figure(prefix + "prefill_flops_per_s", flops);
            report.figure(prefix + "prefill_fraction_of_peak", flops / peak.best());
            report.figure(prefix + "decode_bytes_per_s", r.decodeBytesPerSecond());
            report.figure(prefix + "decode_bytes_per_patch", r.bytesPerPatch());
            report.figure(prefix + "decode_weight_bytes_per_byte", perByte);
            report.figure(prefix + "decode_bound_bytes_per_s", bound);
            report.figure(prefix + "fraction_of_bound", r.decodeBytesPerSecond() / bound);
            if (!Double.isNaN(readBandwidth)) {
                report.figure(prefix + "fraction_of_read_bound", r.decodeBytesPerSecond() * perByte / readBandwidth);
            }
            report.figure(prefix + "rss_after_decode_bytes", r.afterDecode().rssBytes());
            return new Measured(r, traffic);
        }
    }

    private void subword(Path tokenizerJson, double bandwidth, Measured bolmo) {
        OlmoConfig config = olmoConfig();
        String name = "subword " + config.modelType() + ", " + o.engine() + " " + o.dtype();
        log.println("bench: " + name + " (d " + config.hiddenSize() + ", " + config.numHiddenLayers()
                + " layers): create, decode " + o.subwordTokens() + " tokens");
        log.flush();
        int[] sampleTokens = BenchResources.tokenize(tokenizerJson, BenchResources.sampleText());
        double bytesPerToken = BenchResources.sampleText().getBytes(StandardCharsets.UTF_8).length
                / (double) sampleTokens.length;
        // ids of the bundled tokenizer fit every preset; a larger --tokenizer may not fit a tiny model
        int[] prompt = Arrays.stream(Arrays.copyOf(sampleTokens, Math.min(16, sampleTokens.length)))
                .map(t -> Math.min(t, config.vocabSize() - 1)).toArray();
        long t0 = System.nanoTime();
        try (Engine e = o.java() ? VectorEngines.randomOlmo(config, o.dtype(), o.seed(), o.threads())
                : DjlEngines.olmo(config, new RandomWeights(o.seed()), DeviceSpec.CPU, o.threads())) {
            report.row(name + ": create", String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - t0) / 1e9),
                    String.format(Locale.ROOT, "%,d parameters", e.parameterCount()));
            SubwordBench.Result r = SubwordBench.run(e, config, SubwordVocabulary.load(tokenizerJson), prompt,
                    o.subwordTokens());
            WeightTraffic traffic = WeightTraffic.of(e);
            double perToken = traffic.bytesPerUnit(1);
            double bound = bandwidth / perToken;
            report.row(name + ": decode", String.format(Locale.ROOT, "%.2f tok/s", r.tokensPerSecond()),
                    String.format(Locale.ROOT, "%d tokens in %.2f s after a %d-token prefill, KV cache", r.tokens(),
                            r.decodeSeconds(), r.promptTokens()));
            report.row("subword bytes per token", String.format(Locale.ROOT, "%.2f", bytesPerToken),
                    (o.tokenizer() == null ? "cl100k-8192 (bundled)" : o.tokenizer().toString())
                            + " on the sample text");
            report.row(name + ": decode, bytes", String.format(Locale.ROOT, "%.2f B/s", r.tokensPerSecond()
                    * bytesPerToken), "tok/s × bytes per token");
            report.row(name + ": weights read per token", ProcessMemory.gb((long) perToken),
                    "all weights but the embedding");
            report.row(name + ": decode bound", String.format(Locale.ROOT, "%.2f tok/s", bound),
                    "bandwidth / weights read per token");
            report.row(name + ": decode / bound", String.format(Locale.ROOT, "%.2f", r.tokensPerSecond() / bound),
                    "goal ≥ 0.8 (java engine)");
            double ratio = bolmo.decode.decodeBytesPerSecond() / (r.tokensPerSecond() * bytesPerToken);
            double boundRatio = (bandwidth / bolmo.traffic.bytesPerUnit(bolmo.decode.bytesPerPatch()))
                    / (bound * bytesPerToken);
            report.row("Bolmo / subword, decode bytes/s", String.format(Locale.ROOT, "%.2f (bound ratio %.2f: %.2f of"
                    + " it)", ratio, boundRatio, ratio / boundRatio), "goal ≥ 0.9 of the bound ratio");
            report.figure("subword_decode_tokens_per_s", r.tokensPerSecond());
            report.figure("subword_decode_bytes_per_s", r.tokensPerSecond() * bytesPerToken);
            report.figure("subword_bytes_per_token", bytesPerToken);
            report.figure("subword_decode_bound_tokens_per_s", bound);
            report.figure("subword_fraction_of_bound", r.tokensPerSecond() / bound);
            report.figure("bolmo_subword_decode_ratio", ratio);
            report.figure("bolmo_subword_bound_ratio", boundRatio);
        }
    }

    /** Writes the preset as a checkpoint in the chosen format, then times loading it to the first decoded byte. */
    private void loadToFirstByte(Path tokenizerJson, String prompt) {
        Path dir;
        try {
            dir = Files.createTempDirectory("bolmo-bench-load");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        Path model = dir.resolve("model");
        try {
            log.println("bench: writing " + modelName() + " as a " + o.dtype() + " checkpoint to " + model);
            log.flush();
            long t0 = System.nanoTime();
            VectorEngines.writeRandomBolmo(model, bolmoConfig(), o.dtype(), o.seed(), o.threads());
            double written = (System.nanoTime() - t0) / 1e9;
            System.gc();
            t0 = System.nanoTime();
            double firstByte;
            try (Bolmo b = Bolmo.load(model, Bolmo.Options.defaults().withLoad(loadOptions(o.dtype()))
                    .withTokenizer(tokenizerJson))) {
                firstByte = BolmoBench.firstByteSeconds(b.engine(), SubwordSuffixTrie.build(SubwordVocabulary.load(
                        tokenizerJson)), prompt.substring(0, Math.min(64, prompt.length())));
            }
            double total = (System.nanoTime() - t0) / 1e9;
            long size = Files.size(model.resolve("model.safetensors"));
            report.row("load " + o.dtype() + " directory to first byte", String.format(Locale.ROOT, "%.2f s", total),
                    String.format(Locale.ROOT, "%s file (written in %.1f s, so in the page cache); of it %.2f s"
                            + " prompt (64 B) to first byte", ProcessMemory.gb(size), written, firstByte));
            report.figure("load_to_first_byte_s", total);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                AtomicFiles.deleteTree(dir);
            } catch (IOException e) {
                log.println("bench: could not delete " + dir + ": " + e.getMessage());
            }
        }
    }

    // -------------------------------------------------------------------------------- continuous batching table

    private void streams() {
        Path tokenizerJson = BenchResources.tokenizerFile(o.tokenizer());
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(tokenizerJson));
        log.println("bench: Bolmo " + modelName() + ": " + Arrays.toString(o.streams()) + " streams of "
                + o.streamBytes() + " B after " + o.streamPromptBytes() + " B prompts");
        log.flush();
        try (Loaded m = loadBolmo(o.engine(), o.dtype(), trie)) {
            List<StreamsBench.Row> rows = StreamsBench.run(m.engine, m.trie, o.streams(), o.holdSteps(),
                    o.streamPromptBytes(), o.streamBytes(), o.boundaryBias(), o.streamRepeats(), log);
            int most = Arrays.stream(o.streams()).max().orElseThrow();
            List<String> alone = StreamsBench.alone(m.engine, m.trie, most, o.streamPromptBytes(), o.streamBytes(),
                    o.boundaryBias());
            double first = rows.get(0).aggregateBytesPerSecond();
            StringBuilder sb = new StringBuilder("| streams | hold steps | aggregate decode | × first row |"
                    + " products-only ceiling | per-stream ms/byte p50 | p95 | global rows per step | steps |"
                    + " outputs as alone |\n|---|---|---|---|---|---|---|---|---|---|\n");
            List<Map<String, Object>> json = new ArrayList<>();
            for (StreamsBench.Row r : rows) {
                boolean same = r.texts().equals(alone.subList(0, r.streams()));
                double ceiling = m.engine instanceof VectorBolmoEngine v ? ceiling(v, r.streams(),
                        r.streams() * (double) r.bytesPerStream() / Math.max(1, r.patches())) : Double.NaN;
                sb.append(String.format(Locale.ROOT, "| %d | %d | %.2f B/s | %.2f | %s | %.1f | %.1f | %.2f | %d | %s |%n",
                        r.streams(), r.hold(), r.aggregateBytesPerSecond(), r.aggregateBytesPerSecond() / first,
                        Double.isNaN(ceiling) ? "—" : String.format(Locale.ROOT, "%.2f x", ceiling),
                        r.percentileMillis(0.5), r.percentileMillis(0.95), r.globalRowsPerStep(), r.steps(),
                        same ? "identical" : "DIFFERENT"));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("streams", r.streams());
                row.put("hold_steps", r.hold());
                row.put("aggregate_decode_bytes_per_s", r.aggregateBytesPerSecond());
                row.put("speedup_vs_first_row", r.aggregateBytesPerSecond() / first);
                row.put("products_only_ceiling", ceiling);
                row.put("latency_p50_ms", r.percentileMillis(0.5));
                row.put("latency_p95_ms", r.percentileMillis(0.95));
                row.put("identical_outputs", same);
                json.add(row);
            }
            report.table(sb.toString());
            report.figure("streams", json);
            report.figure("peak_rss_bytes", ProcessMemory.now().peakRssBytes());
        }
    }

    /**
     * The speed-up at {@code s} streams that the matrix products alone allow: one step reads every per-byte weight
     * once for all s rows, and the global blocks once for the rows that end a patch (s / bytesPerPatch on average).
     * Everything else a step does (recurrences, attention, Java work per row) can only lower it. Products of one
     * batch size are timed together, best of 7, so that 1 stream comes to 1.00.
     */
    private static double ceiling(VectorBolmoEngine e, int s, double bytesPerPatch) {
        java.util.function.Predicate<String> local = n -> !n.contains("embed") && !n.contains("boundary_predictor")
                && !n.startsWith("model.layers.") && !n.contains("out_projection");
        java.util.function.Predicate<String> global = n -> n.startsWith("model.layers.") || n.contains("out_projection");
        double p = 1 / Math.max(1, bytesPerPatch);
        double k = s * p; // rows per step that take a global step
        int rows = (int) Math.max(1, Math.round(k));
        double one = e.productSeconds(local, 1, 7) + p * e.productSeconds(global, 1, 7);
        if (s == 1) {
            return 1;
        }
        double many = e.productSeconds(local, s, 7) + Math.min(1, k) * e.productSeconds(global, rows, 7)
                * Math.max(1, k / rows);
        return s * one / many;
    }

    // --------------------------------------------------------------------------------------- format agreement

    private void agreement() {
        log.println("bench: " + o.dtype() + " against f32 over " + o.agreement() + " positions of " + modelName());
        log.flush();
        FormatAgreement.Result r = FormatAgreement.measure(bolmoConfig(), List.of(o.dtype()), o.agreement(), o.seed(),
                o.threads(), o.gateBias()).get(o.dtype());
        String setting = String.format(Locale.ROOT, "%d positions, mLSTM input-gate bias %.1f", o.agreement(),
                o.gateBias());
        report.row(o.dtype() + " vs f32: boundary decisions equal", String.format(Locale.ROOT, "%.4f",
                r.boundaries()), setting);
        report.row(o.dtype() + " vs f32: next byte equal on f32's patches", String.format(Locale.ROOT, "%.4f",
                r.nextByteOnReferencePatches()), "goal ≥ 0.99");
        report.row(o.dtype() + " vs f32: next byte equal, own patches", String.format(Locale.ROOT, "%.4f",
                r.nextByte()), "a flipped boundary changes every later patch");
        report.row(o.dtype() + " vs f32: next byte equal where f32 is decided", String.format(Locale.ROOT, "%.4f",
                r.nextByteWhereDecided()), String.format(Locale.ROOT, "%d positions where f32's next byte leads the"
                + " runner-up by ≥ %.2f nat; f32's median lead %.4f nat, largest lead at a flipped position %.4f nat",
                r.decidedPositions(), FormatAgreement.DECIDED_MARGIN, r.medianMargin(), r.largestFlippedMargin()));
        report.figure("agreement_positions", o.agreement());
        report.figure("agreement_boundaries", r.boundaries());
        report.figure("agreement_next_byte_on_f32_patches", r.nextByteOnReferencePatches());
        report.figure("agreement_next_byte", r.nextByte());
        report.figure("agreement_decided_positions", r.decidedPositions());
        report.figure("agreement_next_byte_where_decided", r.nextByteWhereDecided());
        report.figure("agreement_largest_flipped_margin_nats", r.largestFlippedMargin());
        report.figure("agreement_median_margin_nats", r.medianMargin());
        report.figure("peak_rss_bytes", ProcessMemory.now().peakRssBytes());
    }

    // ---------------------------------------------------------------------- peak memory against prompt length

    private void promptMemory() {
        Path tokenizerJson = BenchResources.tokenizerFile(o.tokenizer());
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(SubwordVocabulary.load(tokenizerJson));
        int[] kib = o.promptKib().clone();
        Arrays.sort(kib); // the peak only grows: ascending lengths give each its own peak
        try (Loaded m = loadBolmo(o.engine(), o.dtype(), trie)) {
            int[] warmUp = ByteTokenizer.plain().encode(BenchResources.sampleText(256)); // JIT, first allocations
            m.engine.prefill(warmUp, SubwordSuffixTrie.embeddingRows(m.trie, warmUp), () -> false).close();
            ProcessMemory loaded = ProcessMemory.now();
            StringBuilder sb = new StringBuilder("| prompt | prefill | peak RSS | peak − RSS after load |\n"
                    + "|---|---|---|---|\n");
            List<Map<String, Object>> json = new ArrayList<>();
            for (int k : kib) {
                int[] ids = ByteTokenizer.plain().encode(BenchResources.sampleText(k * 1024));
                log.println("bench: prefill of " + k + " KiB");
                log.flush();
                long t0 = System.nanoTime();
                long patches;
                try (Engine.Sequence s = m.engine.prefill(ids, SubwordSuffixTrie.embeddingRows(m.trie, ids),
                        () -> false)) {
                    patches = s.patches();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                ProcessMemory now = ProcessMemory.now();
                sb.append(String.format(Locale.ROOT, "| %d KiB | %.1f s (%d patches) | %s | %s |%n", k, seconds,
                        patches, ProcessMemory.gb(now.peakRssBytes()),
                        ProcessMemory.gb(now.peakRssBytes() - loaded.rssBytes())));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("prompt_bytes", k * 1024);
                row.put("prefill_s", seconds);
                row.put("patches", patches);
                row.put("peak_rss_bytes", now.peakRssBytes());
                row.put("peak_rss_above_load_bytes", now.peakRssBytes() - loaded.rssBytes());
                json.add(row);
            }
            report.table(sb.toString());
            report.figure("rss_after_load_bytes", loaded.rssBytes());
            report.figure("prompt_memory", json);
        }
    }

    // ---------------------------------------------------------------------------------------------- the models

    /** A Bolmo on one engine with the trie its prompts are expanded with; closing frees what was created here. */
    private static final class Loaded implements AutoCloseable {
        final Engine engine;
        final SubwordSuffixTrie trie;
        final BolmoConfig config;
        private final AutoCloseable owner;

        Loaded(Engine engine, SubwordSuffixTrie trie, BolmoConfig config, AutoCloseable owner) {
            this.engine = engine;
            this.trie = trie;
            this.config = config;
            this.owner = owner;
        }

        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release the benchmarked model", e);
            }
        }
    }

    private Loaded loadBolmo(EngineKind engine, WeightFormat format, SubwordSuffixTrie trie) {
        if (o.model() != null) {
            Bolmo b = Bolmo.load(o.model(), Bolmo.Options.defaults().withLoad(loadOptions(format).withEngine(engine))
                    .withTokenizer(o.tokenizer()));
            SubwordSuffixTrie own = b.config().addExpandedEmbeddings() ? SubwordSuffixTrie.build(SubwordVocabulary.load(
                    SubwordVocabulary.locate(o.model(), b.config().subwordVocabulary(), o.tokenizer()))) : null;
            return new Loaded(b.engine(), own, b.config(), b);
        }
        BolmoConfig config = bolmoConfig();
        Engine e = engine == EngineKind.JAVA ? VectorEngines.randomBolmo(config, format, o.seed(), o.threads())
                : DjlEngines.bolmo(config, new RandomWeights(o.seed()), DeviceSpec.CPU, o.threads());
        return new Loaded(e, trie, config, e);
    }

    private LoadOptions loadOptions(WeightFormat format) {
        return LoadOptions.defaults().withDevice(DeviceSpec.CPU).withDtype(format).withEngine(o.engine())
                .withThreads(o.threads());
    }

    private BolmoConfig bolmoConfig() {
        BolmoConfig c = switch (o.preset()) {
            case "bolmo-1b" -> ModelPresets.bolmoOneB();
            case "bolmo-7b" -> ModelPresets.bolmoSevenB();
            default -> ModelPresets.goldenTiny();
        };
        return o.globalLayers() > 0 ? ModelPresets.withGlobalLayers(c, o.globalLayers()) : c;
    }

    private OlmoConfig olmoConfig() {
        if (o.model() != null) {
            try (HfCheckpoint checkpoint = HfCheckpoint.open(o.model())) {
                return ModelPresets.sourceModelOf(checkpoint.bolmoConfig());
            }
        }
        OlmoConfig c = switch (o.preset()) {
            case "bolmo-1b" -> ModelPresets.olmo2OneB();
            case "bolmo-7b" -> ModelPresets.olmo3SevenB();
            default -> ModelPresets.sourceModelOf(bolmoConfig());
        };
        return o.globalLayers() > 0 ? ModelPresets.withLayers(c, o.globalLayers()) : c;
    }

    private static long weightBytes(Engine e) {
        return e instanceof VectorEngine v ? v.weightBytes() : e.parameterCount() * 4;
    }

    private int threads() {
        return o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
    }

    private String modelName() {
        return o.model() != null ? o.model().toString()
                : o.preset() + (o.globalLayers() > 0 ? " (" + o.globalLayers() + " global layers)" : "")
                        + " (random weights, seed " + o.seed() + ")";
    }

    private String describe() {
        return String.format(Locale.ROOT, "Bolmo %s; engine %s, dtype %s, %d threads; %d cores; Java %s;"
                + " torch threads: intra-op %s, inter-op %s", modelName(), o.engine(), o.dtype(), threads(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    }

    private static String gbs(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9);
    }

    private static String gflops(double flopsPerSecond) {
        return String.format(Locale.ROOT, "%.1f GFLOP/s", flopsPerSecond / 1e9);
    }
}
