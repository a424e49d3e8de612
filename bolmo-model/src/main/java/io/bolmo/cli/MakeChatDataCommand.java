package io.bolmo.cli;

import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bolmo make-chat-data}: a small instruction-style chat set from a corpus ({@link ChatSetGenerator}). */
@Command(name = "make-chat-data", mixinStandardHelpOptions = true,
        description = "Write a JSONL chat set of questions on corpus phrases (first word, last word, repeat), "
                + "answered as 'Answer: X'.")
final class MakeChatDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", paramLabel = "PATH", required = true, split = ",",
            description = "Corpus files or directories (.txt lines, .jsonl 'text'; optionally .gz).")
    List<Path> corpus;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSONL file to write.")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000", description = "Conversations (default 1000).")
    int count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default 0).")
    long seed;

    @Option(names = "--min-words", paramLabel = "N", defaultValue = "2", description = "Shortest phrase (default 2).")
    int minWords;

    @Option(names = "--max-words", paramLabel = "N", defaultValue = "6", description = "Longest phrase (default 6).")
    int maxWords;

    @Option(names = "--tasks", paramLabel = "T", split = ",", defaultValue = "first-word,last-word,repeat",
            description = "Tasks: first-word, last-word, repeat (default all).")
    List<String> tasks;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message for every conversation.")
    String system;

    @Override
    public Integer call() {
        ChatSetGenerator.Options options;
        try {
            List<ChatSetGenerator.Task> t = new ArrayList<>();
            for (String s : tasks) {
                t.add(ChatSetGenerator.Task.parse(s));
            }
            options = new ChatSetGenerator.Options(count, seed, minWords, maxWords, t, system);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        List<ChatSetGenerator.Example> examples;
        try (Corpus c = Corpus.open(corpus, CorpusOptions.DEFAULT)) {
            examples = ChatSetGenerator.generate(c, options);
        }
        ChatSetGenerator.write(out, examples);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + examples.size() + " conversations to " + out);
        w.flush();
        return 0;
    }
}
