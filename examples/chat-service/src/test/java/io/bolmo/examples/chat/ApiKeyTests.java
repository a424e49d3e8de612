package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With chat.api-key set, the model's endpoints want it as OpenAI clients send it; health stays open. */
@TestPropertySource(properties = "chat.api-key=sk-test-1234")
class ApiKeyTests extends ServiceTestBase {

    private static final String COMPLETION = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2}";

    private static JsonNode error(HttpResponse<String> r) {
        return JsonMapper.builder().build().readTree(r.body()).get("error");
    }

    @Test
    void requestsWithoutTheKeyGet401InOpenAisFormat() throws Exception {
        HttpResponse<String> none = postJson("/v1/chat/completions", COMPLETION);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(error(none).get("message").asString()).contains("didn't provide an API key");
        assertThat(error(none).get("type").asString()).isEqualTo("invalid_request_error");

        HttpResponse<String> wrong = postJson("/v1/chat/completions", COMPLETION, "sk-test-123");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong).get("code").asString()).isEqualTo("invalid_api_key");
        assertThat(wrong.body()).doesNotContain("sk-test-1234");

        HttpResponse<String> basic = HTTP.send(HttpRequest.newBuilder(uri("/v1/models")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic c2stdGVzdC0xMjM0Og==").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);

        assertThat(get("/v1/models").statusCode()).isEqualTo(401);
        assertThat(postJson("/chat", "{\"message\":\"Hi\"}").statusCode()).isEqualTo(401);
        assertThat(get("/chat/stream?message=Hi").statusCode()).isEqualTo(401);
    }

    @Test
    void requestsWithTheKeyAreServed() throws Exception {
        assertThat(postJson("/v1/chat/completions", COMPLETION, "sk-test-1234").statusCode()).isEqualTo(200);
        assertThat(postJson("/chat", "{\"message\":\"Hi\",\"maxTokens\":2}", "sk-test-1234").statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthAndThePageNeedNoKey() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    /** The official OpenAI Java SDK (under Spring AI's OpenAiChatModel) sends the key and understands the 401. */
    @Test
    void theOpenAiClientSendsTheKey() {
        OpenAiChatOptions.Builder options = OpenAiChatOptions.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
                .model("tiny-olmo3").maxTokens(4).maxRetries(0).timeout(Duration.ofSeconds(30));
        OpenAiChatModel right = OpenAiChatModel.builder().options(options.apiKey("sk-test-1234").build()).build();
        assertThat(right.call(new Prompt(List.of(new UserMessage("Hi")))).getResult()).isNotNull();

        OpenAiChatModel wrong = OpenAiChatModel.builder().options(options.apiKey("sk-wrong").build()).build();
        assertThatThrownBy(() -> wrong.call(new Prompt(List.of(new UserMessage("Hi")))))
                .hasMessageContaining("401").hasMessageContaining("Incorrect API key provided");
    }
}
