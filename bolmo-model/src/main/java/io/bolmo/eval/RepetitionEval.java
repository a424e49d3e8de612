package io.bolmo.eval;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.Generations;
import io.bolmo.tokenize.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * How often a model's replies loop under given decoding settings (docs/evaluation.md, "Repetition"): each prompt is
 * the opening of a held-out document, asked as a user turn through the chat template (as the chat service does);
 * a reply loops when a {@value #SPAN}-byte span occurs {@value #TIMES} or more times ({@link Repetition}). The
 * replies are decoded together by a {@link BolmoScheduler}, as a server would.
 */
public final class RepetitionEval {

    public static final int SPAN = 20;
    public static final int TIMES = 3;

    private RepetitionEval() {}

    /** One reply and whether it loops. */
    public record Item(String prompt, String reply, boolean loops) {}

    /** The outcome for one setting. */
    public record Report(GenerationOptions options, List<Item> items, long replyBytes, long patches, long nanos) {

        public long looping() {
            return items.stream().filter(Item::loops).count();
        }

        public double loopingShare() {
            return items.isEmpty() ? 0 : (double) looping() / items.size();
        }

        public String describe() {
            return String.format(Locale.ROOT, "replies looping (a %d-byte span %d+ times): %d of %d = %.0f %%%n"
                    + "mean reply %.0f bytes, %.2f bytes per patch, %.1f s for all replies%n", SPAN, TIMES, looping(),
                    items.size(), 100 * loopingShare(), (double) replyBytes / Math.max(1, items.size()),
                    patches == 0 ? 0.0 : (double) replyBytes / patches, nanos / 1e9);
        }
    }

    /**
     * The first words of a document, at most {@code maxBytes} UTF-8 bytes, cut after a whole word (at least one
     * word, however long); punctuation the document starts with (a body cut mid-sentence) is dropped.
     */
    public static String opening(String document, int maxBytes) {
        String[] words = document.replaceFirst("^[\\p{Punct}\\s]+", "").split("\\s+");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            String next = sb + " " + words[i];
            if (next.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                break;
            }
            sb.setLength(0);
            sb.append(next);
        }
        return sb.toString();
    }

    /** Replies to every prompt with {@code options}, {@code batch} at a time. */
    public static Report run(Bolmo bolmo, List<String> prompts, GenerationOptions options, int batch) {
        long start = System.nanoTime();
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        try (BolmoScheduler scheduler = bolmo.scheduler(new BolmoScheduler.Options(batch, prompts.size(), 0))) {
            for (String p : prompts) {
                futures.add(bolmo.submitChat(scheduler, List.of(ChatMessage.user(p)), options,
                        GenerationListener.NONE));
            }
            List<Item> items = new ArrayList<>();
            long bytes = 0;
            long patches = 0;
            for (int i = 0; i < prompts.size(); i++) {
                GenerationResult r = Generations.await(futures.get(i), () -> { });
                byte[] reply = r.text().getBytes(StandardCharsets.UTF_8);
                items.add(new Item(prompts.get(i), r.text(), Repetition.loops(reply, SPAN, TIMES)));
                bytes += r.generatedBytes();
                patches += r.patches();
            }
            return new Report(options, items, bytes, patches, System.nanoTime() - start);
        }
    }
}
