package io.bolmo.eval;

import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.train.data.ChatConversations;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scored check of a chat fine-tune: the held-out conversations of a JSONL chat set (the same content-hash split
 * as training), each asked without its last assistant turn and answered greedily through the chat template; counts
 * replies in the set's answer format ({@link ChatSetGenerator#ANSWER_FORMAT}) and exact answers.
 */
public final class ChatFormatEval {

    /** One prompt's outcome. */
    public record Item(String task, String expected, String reply, boolean wellFormed, boolean exact) {}

    /** Totals, overall and per task. */
    public record Report(List<Item> items) {

        public long wellFormed() {
            return items.stream().filter(Item::wellFormed).count();
        }

        public long exact() {
            return items.stream().filter(Item::exact).count();
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "prompts %d  answer format %d (%.1f%%)  exact %d (%.1f%%)%n",
                    items.size(), wellFormed(), pct(wellFormed()), exact(), pct(exact())));
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

    private ChatFormatEval() {}

    /**
     * @param heldOutEvery the training run's {@code held-out-every} (0: every conversation)
     * @param limit        at most this many prompts (0: all)
     * @param maxBytes     generation budget per reply
     */
    public static Report run(Bolmo bolmo, Path data, int heldOutEvery, int limit, int maxBytes) {
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
                GenerationResult r = bolmo.chat(messages.subList(0, messages.size() - 1),
                        GenerationOptions.greedy(maxBytes), new GenerationListener() { });
                String reply = strip(r.text(), bolmo.template().stopSequence());
                items.add(new Item(task, last.content(), reply, ChatSetGenerator.wellFormed(reply),
                        reply.strip().equals(last.content().strip())));
            }
        }
        return new Report(items);
    }

    private static String strip(String text, String stop) {
        int i = text.indexOf(stop);
        return i >= 0 ? text.substring(0, i) : text;
    }
}
