package io.bolmo.cli;

import io.bolmo.engine.LoadOptions;
import io.bolmo.eval.EvalModels;
import io.bolmo.eval.EvalOptions;
import io.bolmo.eval.EvalReport;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo eval}: a byteified Bolmo next to its subword teacher on held-out documents (model.md §5.5, §4.3, §10):
 * bits per byte (flag marginalised), boundary precision/recall/F1 and bytes per patch, and CUTE-style character
 * tasks; prints a Markdown table and optionally appends it to a file.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Compare a Bolmo with its subword teacher on held-out text and character tasks.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bolmo", paramLabel = "DIR", required = true, description = "Hugging Face Bolmo directory.")
    Path bolmoDir;

    @Option(names = "--teacher", paramLabel = "DIR",
            description = "Subword Olmo directory (config.json + safetensors); omitted: Bolmo alone.")
    Path teacherDir;

    @Option(names = "--corpus", paramLabel = "FILE|DIR", required = true, split = ",",
            description = "Corpus files or directories (.txt one document per line, .jsonl field 'text', .gz).")
    List<Path> corpus;

    @Option(names = "--held-out-every", paramLabel = "N", defaultValue = "1000",
            description = "Evaluate documents whose content hash ≡ 0 mod N, the training split's rule. The teacher"
                    + " holds out 100, byteify 1000: 1000 is unseen by both (default: ${DEFAULT-VALUE}).")
    int heldOutEvery;

    @Option(names = "--max-docs", paramLabel = "N", defaultValue = "0",
            description = "At most N held-out documents, in corpus order; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxDocs;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "20",
            description = "Items per character task; 0 = skip the tasks (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the character tasks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--window-bytes", paramLabel = "N", defaultValue = "512",
            description = "Bytes per scored window at most (default: ${DEFAULT-VALUE}).")
    int windowBytes;

    @Option(names = "--window-tokens", paramLabel = "N", defaultValue = "128",
            description = "Teacher tokens per scored window at most (default: ${DEFAULT-VALUE}).")
    int windowTokens;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "Subword tokenizer (tokenizer.json, or a vocabulary JSON: greedy fallback); default: the"
                    + " teacher's tokenizer.json, else the Bolmo's subword vocabulary.")
    Path tokenizer;

    @Mixin
    EngineOptions engine;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Also append the table to this file.")
    Path out;

    @Override
    public Integer call() {
        check();
        LoadOptions load = engine.loadOptions();
        EvalOptions options = EvalOptions.DEFAULT.withWindows(windowBytes, windowTokens).withTasks(tasks)
                .withSeed(seed);
        List<String> documents;
        try (Corpus c = Corpus.open(corpus, CorpusOptions.DEFAULT)) {
            documents = HeldOutDocuments.of(c, heldOutEvery, maxDocs);
        }
        try (EvalModels models = EvalModels.open(bolmoDir, teacherDir, tokenizer, load)) {
            List<String> notes = new ArrayList<>();
            notes.add("corpus: " + corpus + ", documents with content hash ≡ 0 mod " + heldOutEvery
                    + (maxDocs > 0 ? " (first " + maxDocs + ")" : ""));
            notes.add("subword tokenizer (teacher input, boundary targets β*): " + models.subword().description());
            notes.add("bits per byte: −Σ log₂ P / UTF-8 bytes; Bolmo P(byte) = P(byte, no-bnd) + P(byte, bnd) on its"
                    + " own predicted boundaries (plain forward, model.md §5.5); teacher Σ over its tokens");
            String title = "bolmo eval: " + bolmoDir + (teacherDir != null ? " vs teacher " + teacherDir : "");
            EvalReport report = models.evaluation(options).run(title, notes, documents, models.bolmoScorer(),
                    models.teacherScorer());
            String md = report.toMarkdown();
            spec.commandLine().getOut().print(md);
            spec.commandLine().getOut().flush();
            if (out != null) {
                append(out, md);
            }
        }
        return 0;
    }

    private void check() {
        if (!Files.isDirectory(bolmoDir)) {
            throw usage("--bolmo = '" + bolmoDir + "' is not a directory");
        }
        if (teacherDir != null && !Files.isDirectory(teacherDir)) {
            throw usage("--teacher = '" + teacherDir + "' is not a directory");
        }
        for (Path p : corpus) {
            if (!Files.exists(p)) {
                throw usage("--corpus = '" + p + "' does not exist");
            }
        }
        if (tokenizer != null && !Files.exists(tokenizer)) {
            throw usage("--tokenizer = '" + tokenizer + "' does not exist");
        }
        if (heldOutEvery < 1) {
            throw usage("--held-out-every = " + heldOutEvery + " must be >= 1");
        }
        if (maxDocs < 0) {
            throw usage("--max-docs = " + maxDocs + " must be >= 0 (0 = all)");
        }
        if (tasks < 0) {
            throw usage("--tasks = " + tasks + " must be >= 0 (0 = no character tasks)");
        }
        if (windowBytes < 1) {
            throw usage("--window-bytes = " + windowBytes + " must be >= 1");
        }
        if (windowTokens < 1) {
            throw usage("--window-tokens = " + windowTokens + " must be >= 1");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Appends {@code markdown} to {@code file}, a blank line after what is there (shared with {@code tradeoff}). */
    static void append(Path file, String markdown) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String text = Files.exists(file) && Files.size(file) > 0 ? "\n" + markdown : markdown;
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("--out = '" + file + "': cannot append: " + e.getMessage(), e);
        }
    }
}
