package io.bolmo.cli;

import io.bolmo.Bolmo;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.eval.RepetitionEval;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bolmo repetition}: the share of replies that loop under given decoding settings. */
@Command(name = "repetition", mixinStandardHelpOptions = true,
        description = "Replies to the openings of held-out documents (as chat user turns) with the given decoding"
                + " settings and prints the share that loop: a 20-byte span repeated 3 or more times.")
final class RepetitionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    Sampling sampling;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "Corpus (.txt one document per line, .jsonl, .gz); default: the Europarl sample the shipped"
                    + " models were trained on, written once to --work.")
    Path corpus;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "target/repetition",
            description = "Where the default corpus is written (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--held-out-every", paramLabel = "N", defaultValue = "100",
            description = "Documents with content hash = 0 mod N are held out (default ${DEFAULT-VALUE}: seen by"
                    + " neither shipped model).")
    int heldOutEvery;

    @Option(names = "--prompts", paramLabel = "N", defaultValue = "50", description = "Held-out prompts (default:"
            + " ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--prompt-bytes", paramLabel = "N", defaultValue = "48",
            description = "Each prompt is a document's first words, at most N bytes (default: ${DEFAULT-VALUE}).")
    int promptBytes;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Replies decoded together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3", description = "Print the first N replies.")
    int show;

    @Override
    public Integer call() {
        if (prompts < 1 || promptBytes < 1 || batch < 1) {
            throw new ParameterException(spec.commandLine(), "--prompts = " + prompts + ", --prompt-bytes = "
                    + promptBytes + ", --batch = " + batch + " are invalid: each must be >= 1");
        }
        if (corpus != null && !Files.exists(corpus)) {
            throw new ParameterException(spec.commandLine(), "--corpus = '" + corpus + "' does not exist");
        }
        GenerationOptions options = sampling.options();
        List<String> openings;
        try (Corpus c = corpus != null ? Corpus.open(corpus, CorpusOptions.DEFAULT) : europarl()) {
            openings = HeldOutDocuments.of(c, heldOutEvery, prompts).stream()
                    .map(d -> RepetitionEval.opening(d, promptBytes)).toList();
        }
        try (Bolmo bolmo = model.load()) {
            RepetitionEval.Report r = RepetitionEval.run(bolmo, openings, options, batch);
            PrintWriter w = spec.commandLine().getOut();
            for (int i = 0; i < Math.min(show, r.items().size()); i++) {
                RepetitionEval.Item it = r.items().get(i);
                w.printf("%s> %s%n  %s%n", it.loops() ? "LOOPS " : "", it.prompt(), it.reply().replace("\n", "\\n"));
            }
            w.print(r.describe());
            w.flush();
        }
        return 0;
    }

    private Corpus europarl() {
        try {
            Files.createDirectories(work);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create --work = '" + work + "'", e);
        }
        return EuroparlCorpus.open(work);
    }
}
