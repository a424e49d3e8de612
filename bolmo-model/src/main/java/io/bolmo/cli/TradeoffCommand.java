package io.bolmo.cli;

import io.bolmo.bench.BenchResources;
import io.bolmo.bench.BolmoBench;

import io.bolmo.Bolmo;
import io.bolmo.eval.BolmoScorer;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.eval.HeldOutEvaluation;
import io.bolmo.eval.HeldOutResult;
import io.bolmo.eval.Tradeoff;
import io.bolmo.plot.TradeoffChart;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordTokenizer;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo tradeoff}: the compression trade-off of several Bolmo models (model.md §4.5): held-out bytes per patch,
 * bits per byte and boundary F1 (as {@code bolmo eval}) and greedy decode bytes/s at batch 1 (as {@code bolmo bench}),
 * printed as a Markdown table and plotted as bits per byte against decode speed. Decode timings run round-robin over
 * the models, {@code --repeats} times, and keep each model's best, so load on shared cores hits all models alike.
 */
@Command(name = "tradeoff", mixinStandardHelpOptions = true,
        description = "Bits per byte against decode speed for several Bolmo models (compression trade-off).")
final class TradeoffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "LABEL=DIR", required = true,
            description = "A Bolmo directory and its label in the table and plot; repeat for each model.")
    Map<String, Path> models = new LinkedHashMap<>();

    @Option(names = "--corpus", paramLabel = "FILE|DIR", required = true, split = ",",
            description = "Corpus files or directories (as bolmo eval).")
    List<Path> corpus;

    @Option(names = "--held-out-every", paramLabel = "N", defaultValue = "1000",
            description = "Evaluate documents whose content hash ≡ 0 mod N (default: ${DEFAULT-VALUE}).")
    int heldOutEvery;

    @Option(names = "--max-docs", paramLabel = "N", defaultValue = "0",
            description = "At most N held-out documents; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxDocs;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer for the windows and β*; default: each model's own.")
    Path tokenizer;

    @Option(names = "--prompt-bytes", paramLabel = "N", defaultValue = "256",
            description = "Prompt bytes (the bench sample text) before decoding (default: ${DEFAULT-VALUE}).")
    int promptBytes;

    @Option(names = "--decode-bytes", paramLabel = "N", defaultValue = "512",
            description = "Greedy bytes decoded per timing (default: ${DEFAULT-VALUE}).")
    int decodeBytes;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Decode timings per model, round-robin; the best counts (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--png", paramLabel = "FILE.png", description = "Write the plot here.")
    Path png;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Also append the table to this file.")
    Path out;

    @Override
    public Integer call() {
        check();
        PrintWriter log = spec.commandLine().getErr();
        List<String> documents;
        try (Corpus c = Corpus.open(corpus, CorpusOptions.DEFAULT)) {
            documents = HeldOutDocuments.of(c, heldOutEvery, maxDocs);
        }
        List<String> labels = new ArrayList<>(models.keySet());
        Map<String, HeldOutResult> heldOut = new LinkedHashMap<>();
        Map<String, BolmoBench.Result> best = new LinkedHashMap<>();
        String prompt = BenchResources.sampleText(promptBytes);
        for (String label : labels) {
            Path dir = models.get(label);
            log.println("tradeoff: " + label + ": held-out evaluation of " + dir);
            try (Bolmo bolmo = Bolmo.load(dir, Bolmo.Options.defaults().withDevice("cpu"));
                    SubwordTokenizer subword = SubwordTokenizer.open(tokenizer != null ? tokenizer
                            : SubwordVocabulary.locate(dir, bolmo.config().subwordVocabulary(), null))) {
                heldOut.put(label, new HeldOutEvaluation(subword.encoder(), subword.vocabulary(), 512, 128)
                        .run(documents, BolmoScorer.of(bolmo), null));
            }
        }
        for (int r = 0; r < repeats; r++) {
            for (String label : labels) {
                Path dir = models.get(label);
                try (Bolmo bolmo = Bolmo.load(dir, Bolmo.Options.defaults().withDevice("cpu").withEngine("djl"))) {
                    SubwordSuffixTrie trie = bolmo.config().addExpandedEmbeddings()
                            ? SubwordSuffixTrie.build(SubwordVocabulary.load(SubwordVocabulary.locate(dir,
                                    bolmo.config().subwordVocabulary(), tokenizer)))
                            : null;
                    BolmoBench.Result res = BolmoBench.run(bolmo.engine(), trie, prompt, promptBytes, decodeBytes, 0,
                            false);
                    log.printf("tradeoff: %s: decode %.1f bytes/s (repeat %d)%n", label, res.decodeBytesPerSecond(),
                            r + 1);
                    BolmoBench.Result prev = best.get(label);
                    if (prev == null || res.decodeBytesPerSecond() > prev.decodeBytesPerSecond()) {
                        best.put(label, res);
                    }
                }
            }
        }
        List<Tradeoff.Point> points = new ArrayList<>();
        for (String label : labels) {
            HeldOutResult h = heldOut.get(label);
            BolmoBench.Result b = best.get(label);
            points.add(new Tradeoff.Point(label, h.bolmoBytesPerPatch(), h.bolmoBitsPerByte(), h.boundaries().f1(),
                    b.decodeBytesPerSecond(), b.bytesPerPatch()));
        }
        String md = String.format(java.util.Locale.ROOT, "%d held-out documents (content hash ≡ 0 mod %d), %d bytes;"
                + " decode: %d greedy bytes after a %d-byte prompt, batch 1, best of %d%n%n",
                documents.size(), heldOutEvery, heldOut.get(labels.get(0)).bytes(), decodeBytes, promptBytes, repeats)
                + Tradeoff.markdown(points);
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        if (png != null) {
            TradeoffChart.writePng(points, png);
            log.println("tradeoff: wrote " + png);
        }
        if (out != null) {
            EvalCommand.append(out, md);
        }
        return 0;
    }

    private void check() {
        for (Map.Entry<String, Path> e : models.entrySet()) {
            if (!Files.isDirectory(e.getValue())) {
                throw usage("--model " + e.getKey() + "=" + e.getValue() + ": not a directory");
            }
        }
        for (Path p : corpus) {
            if (!Files.exists(p)) {
                throw usage("--corpus = '" + p + "' does not exist");
            }
        }
        if (heldOutEvery < 1) {
            throw usage("--held-out-every = " + heldOutEvery + " must be >= 1");
        }
        if (maxDocs < 0 || promptBytes < 2 || decodeBytes < 1 || repeats < 1) {
            throw usage("--max-docs must be >= 0, --prompt-bytes >= 2, --decode-bytes >= 1, --repeats >= 1");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
