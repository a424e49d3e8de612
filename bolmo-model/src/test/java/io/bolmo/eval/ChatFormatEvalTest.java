package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.Split;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format score: which prompts are asked (held-out split), what counts as well-formed and as exact. */
class ChatFormatEvalTest {

    @TempDir
    Path dir;

    @Test
    void scoresOnlyTheHeldOutPromptsAndCountsFormatAndExactAnswers() {
        Path chats = dir.resolve("chats.jsonl");
        List<ChatSetGenerator.Example> examples;
        try (Corpus c = Corpus.open(EuroparlCorpus.materialise(dir, 100), CorpusOptions.DEFAULT)) {
            examples = ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(120, 4));
        }
        ChatSetGenerator.write(chats, examples);
        List<String> heldOutAnswers = new ArrayList<>();
        try (Corpus c = Corpus.open(chats, CorpusOptions.JSON_OBJECTS)) {
            for (int d = 0; d < c.documentCount(); d++) {
                if (Split.HELD_OUT.contains(c.hash(d), 10)) {
                    heldOutAnswers.add(examples.get(d).answer());
                }
            }
        }
        assertThat(heldOutAnswers).isNotEmpty();
        List<List<ChatMessage>> asked = new ArrayList<>();
        // a model that answers the even prompts exactly, the odd ones in the format but wrongly, every third not at all
        ChatFormatEval.Responder model = (prompt, maxBytes) -> {
            asked.add(prompt);
            int i = asked.size() - 1;
            if (i % 3 == 2) {
                return "I do not know";
            }
            return i % 2 == 0 ? heldOutAnswers.get(i) : ChatSetGenerator.ANSWER_PREFIX + "nothing";
        };
        // a likelihood of 3 bits per byte of whatever it is asked to score, and the texts it was asked
        List<String> scored = new ArrayList<>();
        LikelihoodScorer threeBits = (prompt, continuation) -> {
            scored.add(prompt + "|" + continuation);
            return -3 * Math.log(2) * continuation.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        };
        ChatFormatEval.Report r = ChatFormatEval.run(new ChatFormatEval.Subject(model, threeBits, ChatTemplate.OLMO),
                chats, 10, 0, 64);
        int n = heldOutAnswers.size();
        assertThat(r.items()).hasSize(n);
        assertThat(asked).allSatisfy(p -> assertThat(p).hasSize(1).first()
                .satisfies(m -> assertThat(m.role()).isEqualTo("user")));
        long wellFormed = java.util.stream.IntStream.range(0, n).filter(i -> i % 3 != 2).count();
        long exact = java.util.stream.IntStream.range(0, n).filter(i -> i % 3 != 2 && i % 2 == 0).count();
        assertThat(r.wellFormed()).isEqualTo(wellFormed);
        assertThat(r.exact()).isEqualTo(exact);
        assertThat(r.describe()).contains("prompts " + n).contains("expected replies 3.0000 bits/byte");
        assertThat(r.expectedBitsPerByte()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
        // the expected reply is scored with its end marker, after the prompt rendered with the template
        assertThat(scored.get(0)).isEqualTo(ChatTemplate.OLMO.render(asked.get(0)) + "|" + heldOutAnswers.get(0)
                + "<|im_end|>\n");
        ChatFormatEval.Subject silent = new ChatFormatEval.Subject((p, max) -> "", threeBits, ChatTemplate.OLMO);
        assertThat(ChatFormatEval.run(silent, chats, 10, 3, 64).items()).hasSize(3);
    }
}
