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
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.tool.function.FunctionToolCallback;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void jsonSchemaResponseFormatGivesJsonOfTheSchema() {
        OpenAiChatModel openAi = client(false);
        for (int seed = 0; seed < 3; seed++) {
            String text = openAi.call(new Prompt(List.of(new UserMessage("Who are you?")), OpenAiChatOptions.builder()
                    .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("not-needed").model("tiny-olmo3")
                    .maxTokens(200).temperature(1.0).seed(seed).outputSchema(OpenAiToolsProtocolTests.PERSON).build()))
                    .getResult().getOutput().getText();
            JsonNode person = JSON.readTree(text);
            assertThat(person.propertyNames()).containsExactly("name", "age", "tags");
            assertThat(person.get("age").asInt()).isBetween(0, 130);
        }
    }

    record City(String city, String unit) {}

    @Test
    void toolsComeBackAsToolCallsPlainAndStreamed() {
        OpenAiChatModel openAi = client(true);
        FunctionToolCallback<City, String> weather = FunctionToolCallback
                .builder("get_weather", (City c) -> "3 degrees").description("Weather in a city")
                .inputType(City.class).build();
        Prompt prompt = new Prompt(List.of(new UserMessage("Weather in Oslo?")), OpenAiChatOptions.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("not-needed").model("tiny-olmo3").maxTokens(200)
                .temperature(0.0).toolCallbacks(List.of(weather)).toolChoice("required").streamUsage(true).build());
        ChatResponse r = openAi.call(prompt);
        List<AssistantMessage.ToolCall> calls = r.getResult().getOutput().getToolCalls();
        assertThat(calls).isNotEmpty().allSatisfy(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(c.arguments()).has("city")).isTrue();
        });
        assertThat(r.getResult().getMetadata().getFinishReason()).isIn("TOOL_CALLS", "tool_calls");

        List<ChatResponse> chunks = openAi.stream(prompt).collectList().block(Duration.ofSeconds(30));
        List<AssistantMessage.ToolCall> streamed = new java.util.ArrayList<>();
        chunks.forEach(c -> {
            if (c.getResult() != null) {
                streamed.addAll(c.getResult().getOutput().getToolCalls());
            }
        });
        assertThat(streamed.stream().map(AssistantMessage.ToolCall::arguments).toList())
                .as("greedy: the stream calls as the call does")
                .isEqualTo(calls.stream().map(AssistantMessage.ToolCall::arguments).toList());
    }
}
