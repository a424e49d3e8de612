package io.bolmo.train.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training transcript shares the generation prompt's prefix and marks only assistant content + marker. */
class ChatTemplateTranscriptTest {

    @Test
    void trainedRangesAreTheAssistantTurnsAndTheirPrefixIsTheGenerationPrompt() {
        List<ChatMessage> conv = List.of(ChatMessage.user("Grüß dich"), ChatMessage.assistant("Hallo ✓"),
                ChatMessage.user("again"), ChatMessage.assistant("ok"));
        ChatTemplate.Transcript t = ChatTemplate.OLMO.transcript(conv);
        byte[] utf8 = t.text().getBytes(StandardCharsets.UTF_8);
        assertThat(t.trained()).hasSize(2);
        int[] first = t.trained().get(0);
        assertThat(new String(Arrays.copyOfRange(utf8, first[0], first[1]), StandardCharsets.UTF_8))
                .isEqualTo("Hallo ✓<|im_end|>\n");
        assertThat(new String(Arrays.copyOfRange(utf8, 0, first[0]), StandardCharsets.UTF_8))
                .isEqualTo(ChatTemplate.OLMO.render(conv.subList(0, 1)));
        int[] second = t.trained().get(1);
        assertThat(new String(Arrays.copyOfRange(utf8, second[0], second[1]), StandardCharsets.UTF_8))
                .isEqualTo("ok<|im_end|>\n");
        assertThat(Arrays.stream(t.byteMask()).sum()).isEqualTo(first[1] - first[0] + second[1] - second[0]);
    }
}
