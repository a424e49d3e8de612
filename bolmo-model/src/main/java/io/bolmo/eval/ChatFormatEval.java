package io.bolmo.eval;

import io.bolmo.Bolmo;
import io.bolmo.Olmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.train.data.ChatConversations;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.Split;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scored check of a chat fine-tune: the held-out conversations of a JSONL chat set (the same content-hash split
 * as training), each asked without its last assistant turn and answered greedily through the chat template; counts
 * replies in the set's answer format ({@link ChatSetGenerator#ANSWER_FORMAT}) and exact answers. Scores a Bolmo and a
 * subword teacher on the same terms, so a teacher's fine-tune and a Bolmo that received its delta (model.md §11)
 * compare.
 */
public final class ChatFormatEval {

    /**
     * A model under test: greedy replies (without the turn's end marker) and the likelihood of a given reply, both
     * through the chat template it was tuned with.
     */
    public record Subject(Responder responder, LikelihoodScorer likelihood, ChatTemplate template) {

        /** Bolmo through its own chat template; likelihoods flag-marginalised after BOS ({@link BolmoScorer}). */
        public static Subject of(Bolmo bolmo) {
            Responder r = (prompt, maxBytes) -> strip(bolmo.chat(prompt, GenerationOptions.greedy(maxBytes),
                    new GenerationListener() { }).text(), bolmo.template().stopSequence());
            return new Subject(r, BolmoScorer.of(bolmo), bolmo.template());
        }

        /** A subword teacher through {@code template} (the one its chat fine-tune rendered), after its EOS. */
        public static Subject of(Olmo teacher, ChatTemplate template) {
            Responder r = (prompt, maxBytes) -> strip(teacher.chat(prompt, template,
                    GenerationOptions.greedy(maxBytes), new GenerationListener() { }).text(), template.stopSequence());
            Integer eos = teacher.config().eosTokenId();
            if (eos == null) {
                throw new IllegalArgumentException("the teacher's config has no eos_token_id: cannot score replies"
                        + " after EOS");
            }
            return new Subject(r, new TeacherScorer(teacher.engine(), teacher.config().vocabSize(), teacher::encode, eos), template);
        }
    }

    /** Greedy reply of at most {@code maxBytes} to a conversation, without the turn's end marker. */
    @FunctionalInterface
    public interface Responder {
        String reply(List<ChatMessage> prompt, int maxBytes);
    }

    /**
     * One prompt's outcome.
     *
     * @param expectedBits −log₂ P(expected reply + the turn's end marker | prompt), teacher-forced
     * @param expectedBytes UTF-8 bytes of that reply and marker
     */
    public record Item(String task, String expected, String reply, boolean wellFormed, boolean exact,
            double expectedBits, int expectedBytes) {}

    /** Totals, overall and per task. */
    public record Report(List<Item> items) {

        public long wellFormed() {
            return items.stream().filter(Item::wellFormed).count();
        }

        public long exact() {
            return items.stream().filter(Item::exact).count();
        }

        /**
         * Bits per byte of the expected replies (with their end marker), teacher-forced: a graded score of how
         * close the model is to answering in the format, where greedy rates are all or nothing.
         */
        public double expectedBitsPerByte() {
            return items.stream().mapToDouble(Item::expectedBits).sum()
                    / items.stream().mapToLong(Item::expectedBytes).sum();
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "prompts %d  answer format %d (%.1f%%)  exact %d (%.1f%%)"
                    + "  expected replies %.4f bits/byte%n", items.size(), wellFormed(), pct(wellFormed()), exact(),
                    pct(exact()), expectedBitsPerByte()));
            Map<String, long[]> byTask = new TreeMap<>();
            for (Item i : items) {
                long[] c = byTask.computeIfAbsent(i.task(), k -> new long[3]);
                c[0]++;
                c[1] += i.wellFormed() ? 1 : 0;
                c[2] += i.exact() ? 1 : 0;
            }
            byTask.forEach((t, c) -> sb.append(String.format(Locale.ROOT,
                    "  %-11s %3d prompts  format %5.1f%%  exact %5.1f%%%n", t, c[0], 100.0 * c[1] / c[0],
                    100.0 * c[2] / c[0])));
            return sb.toString();
        }

        private double pct(long n) {
            return items.isEmpty() ? 0 : 100.0 * n / items.size();
        }
    }

    private static final double LN2 = Math.log(2);

    private ChatFormatEval() {}

    /**
     * @param heldOutEvery the training run's {@code held-out-every} (0: every conversation)
     * @param limit        at most this many prompts (0: all)
     * @param maxBytes     generation budget per reply
     */
    public static Report run(Subject model, Path data, int heldOutEvery, int limit, int maxBytes) {
        List<Item> items = new ArrayList<>();
        try (Corpus c = Corpus.open(data, CorpusOptions.JSON_OBJECTS)) {
            for (int d = 0; d < c.documentCount() && (limit == 0 || items.size() < limit); d++) {
                if (heldOutEvery > 0 && !Split.HELD_OUT.contains(c.hash(d), heldOutEvery)) {
                    continue;
                }
                String json = c.text(d);
                List<ChatMessage> messages = ChatConversations.parse(json, c.describe(d));
                ChatMessage last = messages.get(messages.size() - 1);
                if (!last.role().equals(ChatTemplate.ASSISTANT)) {
                    continue;
                }
                String task = com.google.gson.JsonParser.parseString(json).getAsJsonObject().has("task")
                        ? com.google.gson.JsonParser.parseString(json).getAsJsonObject().get("task").getAsString()
                        : "-";
                List<ChatMessage> prompt = messages.subList(0, messages.size() - 1);
                String reply = model.responder().reply(prompt, maxBytes);
                String expected = last.content() + model.template().turnEnd();
                double bits = -model.likelihood().logLikelihood(model.template().render(prompt), expected) / LN2;
                items.add(new Item(task, last.content(), reply, ChatSetGenerator.wellFormed(reply),
                        reply.strip().equals(last.content().strip()), bits,
                        expected.getBytes(StandardCharsets.UTF_8).length));
            }
        }
        return new Report(items);
    }

    private static String strip(String text, String stop) {
        int i = text.indexOf(stop);
        return i >= 0 ? text.substring(0, i) : text;
    }
}
