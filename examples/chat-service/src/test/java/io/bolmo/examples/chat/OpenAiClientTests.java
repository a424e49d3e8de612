package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * A real OpenAI client library against the running service: Spring AI's {@link OpenAiChatModel}, which sends its
 * requests through the official OpenAI Java SDK.
 */
class OpenAiClientTests extends ServiceTestBase {

    private OpenAiChatModel client(boolean streamUsage) {
        return OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("not-needed").model("tiny-olmo3")
                .maxTokens(16).streamUsage(streamUsage).maxRetries(0).timeout(Duration.ofSeconds(30)).build())
                .build();
    }

    @Test
    void plainCompletion() {
        ChatResponse r = client(false).call(new Prompt(List.of(new SystemMessage("Be brief."),
                new UserMessage("Hello"))));
        assertThat(r.getResult()).isNotNull();
        assertThat(r.getResult().getOutput().getText()).isNotNull();
        assertThat(r.getResult().getMetadata().getFinishReason()).isIn("STOP", "LENGTH", "stop", "length");
        assertThat(r.getMetadata().getUsage().getPromptTokens()).isPositive();
        assertThat(r.getMetadata().getUsage().getCompletionTokens()).isBetween(0, 16);
        assertThat(r.getMetadata().getModel()).isEqualTo("tiny-olmo3");
    }

    @Test
    void streamingCompletionMatchesPlain() {
        OpenAiChatModel openAi = client(true);
        Prompt prompt = new Prompt(List.of(new UserMessage("Hi")), OpenAiChatOptions.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("not-needed").model("tiny-olmo3").maxTokens(20)
                .temperature(0.0).streamUsage(true).build());
        String plain = openAi.call(prompt).getResult().getOutput().getText();
        List<ChatResponse> chunks = openAi.stream(prompt).collectList().block(Duration.ofSeconds(30));
        assertThat(chunks).isNotEmpty();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> {
            if (c.getResult() != null && c.getResult().getOutput().getText() != null) {
                text.append(c.getResult().getOutput().getText());
            }
        });
        assertThat(text.toString()).isEqualTo(plain);
    }
}
