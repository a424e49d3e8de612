package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.eval.Repetition;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.tokenize.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The issue the repetition penalty fixes, on the shipped model: greedy decoding of the README's prompt loops
 * ("... the problems of the Commission and the problems of the Commission ..."), the chat service's defaults
 * (penalty 2, repeats from 16 bytes) do not. docs/evaluation.md has the figure over 50 held-out prompts.
 */
class SmallModelRepetitionTest {

    private static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("Madam President, the Commission"));

    @Test
    void greedyLoopsAndThePenaltyStopsIt() {
        try (Bolmo bolmo = Bolmo.load(SmallModel.bolmo())) {
            GenerationOptions greedy = GenerationOptions.builder().maxNewBytes(256).build();
            String plain = bolmo.chat(PROMPT, greedy, GenerationListener.NONE).text();
            String penalised = bolmo.chat(PROMPT, greedy.mutate().repetitionPenalty(2.0).repetitionMinBytes(16)
                    .build(), GenerationListener.NONE).text();
            assertThat(Repetition.loops(plain.getBytes(StandardCharsets.UTF_8), 20, 3)).as(plain).isTrue();
            assertThat(Repetition.loops(penalised.getBytes(StandardCharsets.UTF_8), 20, 3)).as(penalised).isFalse();
            assertThat(penalised).startsWith(plain.substring(0, 30)); // the same reply until it would repeat
        }
    }
}
