package io.bolmo.eval;

import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation run over held-out documents (model.md §5.5, §4.3, §10): {@link HeldOutEvaluation} for bits per byte
 * and boundaries, then every {@link CharTask} on items from the documents' words, scored by both models on identical
 * prompts. In three parts so that it can be distributed: {@link #plan} (the task items, from all documents),
 * {@link #score} (exactly additive sums over any share of the documents and items) and {@link #report} (from the
 * sums of all shares); {@link #run} does the three in one pass.
 */
public final class Evaluation {

    private final SubwordEncoder encoder;
    private final SubwordVocabulary vocab;
    private final EvalOptions options;

    /** @param encoder the subword tokenizer (teacher input, byte stream and boundary targets) */
    public Evaluation(SubwordEncoder encoder, SubwordVocabulary vocab, EvalOptions options) {
        this.encoder = encoder;
        this.vocab = vocab;
        this.options = options;
    }

    /** @param teacher null to evaluate Bolmo alone (its column reads "—") */
    public EvalReport run(String title, List<String> notes, List<String> documents, BolmoScorer bolmo,
            TeacherScorer teacher) {
        EvalPlan plan = plan(documents, options);
        return report(options, title, notes, plan, score(documents, plan.items(), bolmo, teacher));
    }

    /** The task items of the held-out {@code documents} (all of them: the word list spans every document). */
    public static EvalPlan plan(List<String> documents, EvalOptions options) {
        if (options.tasksPerTask() == 0) {
            return new EvalPlan(List.of(), 0);
        }
        List<String> words = WordList.of(documents, options.minLetters(), options.maxLetters());
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the held-out documents have no words of " + options.minLetters()
                    + ".." + options.maxLetters() + " letters for the character tasks");
        }
        TaskGenerator generator = new TaskGenerator(words, options.seed());
        List<TaskExample> items = new ArrayList<>();
        for (CharTask task : CharTask.values()) {
            items.addAll(generator.generate(task, options.tasksPerTask()));
        }
        return new EvalPlan(items, words.size());
    }

    /**
     * Scores a share of the work: {@code documents} (any subset of the held-out documents) and {@code items} (any
     * subset of the plan's items).
     *
     * @param teacher null to evaluate Bolmo alone
     */
    public EvalSums score(List<String> documents, List<TaskExample> items, BolmoScorer bolmo, TeacherScorer teacher) {
        HeldOutSums heldOut = new HeldOutEvaluation(encoder, vocab, options.windowBytes(), options.windowTokens())
                .sums(documents, bolmo, teacher);
        Map<CharTask, List<TaskExample>> byTask = new EnumMap<>(CharTask.class);
        for (TaskExample item : items) {
            byTask.computeIfAbsent(item.task(), t -> new ArrayList<>()).add(item);
        }
        Map<CharTask, TaskCounts> tasks = new EnumMap<>(CharTask.class);
        for (CharTask task : CharTask.values()) {
            List<TaskExample> mine = byTask.getOrDefault(task, List.of());
            tasks.put(task, new TaskCounts(mine.size(), teacher == null ? -1 : TaskRanking.correct(teacher, mine),
                    TaskRanking.correct(bolmo, mine)));
        }
        return new EvalSums(heldOut, tasks);
    }

    /** The report of {@code total}, the sums of every document and item of {@code plan}. */
    public static EvalReport report(EvalOptions options, String title, List<String> notes, EvalPlan plan,
            EvalSums total) {
        HeldOutResult heldOut = total.heldOut().result();
        Map<CharTask, TaskResult> tasks = new LinkedHashMap<>();
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add(String.format(java.util.Locale.ROOT,
                "held-out: %d documents, %d bytes (UTF-8; BOS/EOS not scored), %d teacher tokens, %d windows of"
                        + " ≤ %d bytes / ≤ %d tokens cut at token boundaries, each scored from BOS (Bolmo) / EOS"
                        + " (teacher); boundary metrics over %d bytes (last byte of each window excluded: no"
                        + " lookahead)",
                heldOut.documents(), heldOut.bytes(), heldOut.tokens(), heldOut.windows(), options.windowBytes(),
                options.windowTokens(), heldOut.boundaryBytes()));
        if (options.tasksPerTask() > 0) {
            for (CharTask task : CharTask.values()) {
                tasks.put(task, total.count(task).result());
            }
            allNotes.add("character tasks: " + options.tasksPerTask() + " items per task from " + plan.words()
                    + " held-out words (seed " + options.seed() + "), 1 answer + " + TaskGenerator.DISTRACTORS
                    + " distractors ranked by summed log-likelihood of the answer given the prompt (chance 0.25)");
        }
        return new EvalReport(title, allNotes, heldOut, tasks);
    }
}
