package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CUTE-style items are deterministic and well-formed; ranking picks the most likely candidate (model.md §10.2). */
class TaskGeneratorTest {

    static final List<String> WORDS = WordList.of(List.of(
            "Parliament adopted the resolution, über alles; naïve committee members voted.",
            "The Commission's proposal was rejected by a large majority of members."), 4, 10);

    @Test
    void wordsAreLowerCaseLettersInRange() {
        assertThat(WORDS).contains("parliament", "über", "naïve", "committee").doesNotContain("the", "was");
        assertThat(WORDS).doesNotHaveDuplicates();
    }

    @Test
    void generationIsDeterministic() {
        for (CharTask task : CharTask.values()) {
            List<TaskExample> a = new TaskGenerator(WORDS, 5).generate(task, 12);
            List<TaskExample> b = new TaskGenerator(WORDS, 5).generate(task, 12);
            assertThat(a).as(task.label()).isEqualTo(b);
            assertThat(new TaskGenerator(WORDS, 6).generate(task, 12)).as(task.label()).isNotEqualTo(a);
        }
    }

    @Test
    void theCorrectAnswerIsAmongTheCandidatesExactlyOnce() {
        for (CharTask task : CharTask.values()) {
            for (TaskExample e : new TaskGenerator(WORDS, 1).generate(task, 40)) {
                assertThat(e.candidates()).as(e.toString()).hasSize(4);
                assertThat(new HashSet<>(e.candidates())).as(e.toString()).hasSize(4);
                assertThat(e.candidates()).as(e.toString()).doesNotContain("");
                String answer = e.candidates().get(e.correct());
                assertThat(e.candidates().stream().filter(answer::equals).count()).isEqualTo(1);
                assertThat(answer).as(e.toString()).isEqualTo(expected(e));
                assertThat(e.prompt()).contains("\"" + e.word() + "\"").endsWith("Answer: \"");
            }
        }
    }

    /** The answer recomputed from the prompt. */
    static String expected(TaskExample e) {
        String w = e.word();
        List<String> quoted = quoted(e.prompt());
        return switch (e.task()) {
            case SPELL -> String.join(" ", w.codePoints().mapToObj(Character::toString).toList());
            case REVERSE -> new StringBuilder(w).reverse().toString();
            case COUNT -> Long.toString(w.codePoints().filter(c -> c == quoted.get(0).codePointAt(0)).count());
            case INSERT -> w.replace(quoted.get(1), quoted.get(1) + quoted.get(0));
            case DELETE -> w.replace(quoted.get(0), "");
            case SUBSTITUTE -> w.replace(quoted.get(0), quoted.get(1));
        };
    }

    static List<String> quoted(String prompt) {
        String[] parts = prompt.split("\"");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i + 1 < parts.length; i += 2) {
            out.add(parts[i]);
        }
        return out;
    }

    @Test
    void rankingPicksTheMostLikelyCandidate() {
        TaskExample e = new TaskExample(CharTask.REVERSE, "abcd", "p", List.of("dcba", "abcd", "dbca", "dcab"), 0);
        Map<String, Double> ll = Map.of("dcba\"", -5.0, "abcd\"", -1.0, "dbca\"", -3.0, "dcab\"", -9.0);
        LikelihoodScorer stub = (prompt, continuation) -> {
            assertThat(prompt).isEqualTo("p");
            return ll.get(continuation);
        };
        assertThat(TaskRanking.pick(stub, e)).isEqualTo(1);
        assertThat(TaskRanking.accuracy(stub, List.of(e))).isZero();
        LikelihoodScorer right = (p, c) -> c.equals("dcba\"") ? 0.0 : -2.0;
        assertThat(TaskRanking.accuracy(right, List.of(e, e))).isEqualTo(1.0);
        LikelihoodScorer flat = (p, c) -> -1.0;
        assertThat(TaskRanking.pick(flat, e)).isZero(); // ties: the first candidate
    }
}
