package io.bolmo.train.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.bolmo.io.AtomicFiles;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small instruction-style chat set built from a text corpus (e.g. Europarl): short phrases cut from its sentences
 * turned into questions with one fixed answer format, {@code Answer: X}. Tasks: the first word of a phrase, its
 * last word, and repeating it. Deterministic for a seed. Each JSONL line holds the {@code messages} of
 * {@link ChatConversations} plus {@code task} and {@code answer} (the expected assistant content), which training
 * ignores and scoring uses.
 */
public final class ChatSetGenerator {

    /** The answer prefix every assistant turn starts with. */
    public static final String ANSWER_PREFIX = "Answer: ";
    /** What a well-formed answer looks like: the prefix and one non-empty line. */
    public static final Pattern ANSWER_FORMAT = Pattern.compile("Answer: \\S[^\\n]*");

    /** The kinds of question. */
    public enum Task {
        FIRST_WORD("What is the first word of: %s"),
        LAST_WORD("What is the last word of: %s"),
        REPEAT("Repeat: %s");

        private final String question;

        Task(String question) {
            this.question = question;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Task parse(String s) {
            for (Task t : values()) {
                if (t.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("task = '" + s + "' is invalid; allowed: first-word, last-word, repeat");
        }

        String answerFor(List<String> words) {
            return switch (this) {
                case FIRST_WORD -> words.get(0);
                case LAST_WORD -> words.get(words.size() - 1);
                case REPEAT -> String.join(" ", words);
            };
        }
    }

    /**
     * @param count    conversations to generate
     * @param seed     fixes the choice of phrases and tasks
     * @param minWords shortest phrase (words)
     * @param maxWords longest phrase (words)
     * @param tasks    the tasks to draw from (uniformly)
     * @param system   an optional system message (null: none)
     */
    public record Options(int count, long seed, int minWords, int maxWords, List<Task> tasks, String system) {

        public Options {
            check(count >= 1, "count", count, "must be >= 1");
            check(minWords >= 1, "min-words", minWords, "must be >= 1");
            check(maxWords >= minWords, "max-words", maxWords, "must be >= min-words = " + minWords);
            check(tasks != null && !tasks.isEmpty(), "tasks", tasks, "at least one of first-word, last-word, repeat");
            tasks = List.copyOf(tasks);
        }

        public static Options defaults(int count, long seed) {
            return new Options(count, seed, 2, 6, List.of(Task.values()), null);
        }
    }

    /** One conversation with its task and expected answer (the assistant content). */
    public record Example(Task task, String phrase, List<ChatMessage> messages) {

        public String answer() {
            return messages.get(messages.size() - 1).content();
        }

        /** The conversation without its final assistant turn: what a model is asked. */
        public List<ChatMessage> prompt() {
            return messages.subList(0, messages.size() - 1);
        }

        public String toJson() {
            JsonObject o = new JsonObject();
            JsonArray ms = new JsonArray();
            for (ChatMessage m : messages) {
                JsonObject j = new JsonObject();
                j.addProperty("role", m.role());
                j.addProperty("content", m.content());
                ms.add(j);
            }
            o.add("messages", ms);
            o.addProperty("task", task.id());
            o.addProperty("answer", answer());
            return o.toString();
        }
    }

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\s{2,}");

    private ChatSetGenerator() {}

    /**
     * Generates {@code o.count()} distinct conversations from the documents of {@code corpus}: documents drawn with
     * the seed, split into sentences, a phrase of min..max words from the start of a sentence (punctuation around the
     * words dropped).
     */
    public static List<Example> generate(Corpus corpus, Options o) {
        if (corpus.documentCount() == 0) {
            throw new IllegalArgumentException("the corpus " + corpus.files() + " has no documents");
        }
        Random r = new Random(o.seed());
        List<Example> out = new ArrayList<>(o.count());
        Set<String> seen = new LinkedHashSet<>();
        int attempts = 0;
        while (out.size() < o.count()) {
            if (++attempts > 50 * o.count() + 1000) {
                throw new IllegalArgumentException("the corpus " + corpus.files() + " yields only " + out.size()
                        + " distinct phrases of " + o.minWords() + ".." + o.maxWords() + " words; asked for "
                        + o.count());
            }
            String text = corpus.text(r.nextInt(corpus.documentCount()));
            String[] sentences = SENTENCE_END.split(text.strip());
            List<String> words = words(sentences[r.nextInt(sentences.length)]);
            int n = o.minWords() + r.nextInt(o.maxWords() - o.minWords() + 1);
            Task task = o.tasks().get(r.nextInt(o.tasks().size()));
            if (words.size() < n) {
                continue;
            }
            List<String> phrase = words.subList(0, n);
            String p = String.join(" ", phrase);
            if (!seen.add(task.id() + "\u0000" + p)) {
                continue;
            }
            List<ChatMessage> messages = new ArrayList<>();
            if (o.system() != null && !o.system().isBlank()) {
                messages.add(ChatMessage.system(o.system()));
            }
            messages.add(ChatMessage.user(String.format(Locale.ROOT, task.question, p)));
            messages.add(new ChatMessage(ChatTemplate.ASSISTANT, ANSWER_PREFIX + task.answerFor(phrase)));
            out.add(new Example(task, p, List.copyOf(messages)));
        }
        return out;
    }

    /** Words of a sentence with leading and trailing punctuation removed; empty ones dropped. */
    static List<String> words(String sentence) {
        List<String> out = new ArrayList<>();
        for (String w : sentence.strip().split("\\s+")) {
            String c = w.replaceAll("^[\\p{Punct}«»“”‘’„–—…]+|[\\p{Punct}«»“”‘’„–—…]+$", "");
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Writes the examples as JSON lines, atomically (temporary file, then rename). */
    public static void write(Path file, List<Example> examples) {
        Objects.requireNonNull(file, "file");
        AtomicFiles.writeFile(file, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Example e : examples) {
                    w.write(e.toJson());
                    w.write('\n');
                }
            }
        });
    }

    /** Whether {@code reply} (an assistant turn, stop marker removed) has the answer format. */
    public static boolean wellFormed(String reply) {
        return ANSWER_FORMAT.matcher(reply.strip()).matches();
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is invalid: " + rule);
        }
    }
}
