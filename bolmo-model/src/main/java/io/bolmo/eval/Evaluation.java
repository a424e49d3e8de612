package io.bolmo.eval;

import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation run over held-out documents (spec 5.5, 4.3, 10): {@link HeldOutEvaluation} for bits per byte and
 * boundaries, then every {@link CharTask} on items from the documents' words, scored by both models on identical
 * prompts.
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
        HeldOutResult heldOut = new HeldOutEvaluation(encoder, vocab, options.windowBytes(), options.windowTokens())
                .run(documents, bolmo, teacher);
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
            List<String> words = WordList.of(documents, options.minLetters(), options.maxLetters());
            if (words.isEmpty()) {
                throw new IllegalArgumentException("the held-out documents have no words of " + options.minLetters()
                        + ".." + options.maxLetters() + " letters for the character tasks");
            }
            TaskGenerator generator = new TaskGenerator(words, options.seed());
            for (CharTask task : CharTask.values()) {
                List<TaskExample> items = generator.generate(task, options.tasksPerTask());
                double t = teacher == null ? Double.NaN : TaskRanking.accuracy(teacher, items);
                tasks.put(task, new TaskResult(items.size(), t, TaskRanking.accuracy(bolmo, items)));
            }
            allNotes.add("character tasks: " + options.tasksPerTask() + " items per task from " + words.size()
                    + " held-out words (seed " + options.seed() + "), 1 answer + " + TaskGenerator.DISTRACTORS
                    + " distractors ranked by summed log-likelihood of the answer given the prompt (chance 0.25)");
        }
        return new EvalReport(title, allNotes, heldOut, tasks);
    }
}
