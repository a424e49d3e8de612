package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.spring.ai.BolmoChatModel;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole prompt is limited on every endpoint (413 naming the property), and so are the prompt bytes in flight
 * (429, like a full bulkhead). Small limits here, so the tiny model's prefills stay short.
 */
@TestPropertySource(properties = {"spring.ai.bolmo.chat.max-prompt-bytes=1000",
        "spring.ai.bolmo.chat.max-concurrent-prompt-bytes=1400", "chat.max-tokens-limit=1000000"})
class PromptLimitTests extends ServiceTestBase {

    @Autowired
    BolmoChatModel model;

    @Test
    void aPromptOverTheLimitIs413OnEveryEndpoint() throws Exception {
        // each message is far under chat.max-message-chars; together, after the template, they are over 1000 bytes
        String half = "x".repeat(520);
        HttpResponse<String> chat = postJson("/chat", "{\"message\":\"" + half + "\",\"system\":\"" + half + "\"}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(413);
        assertThat(chat.body()).contains("at most 1000", "spring.ai.bolmo.chat.max-prompt-bytes");

        HttpResponse<String> stream = get("/chat/stream?message=" + half + "&system=" + half);
        assertThat(stream.statusCode()).isEqualTo(413);
        assertThat(stream.body()).contains("spring.ai.bolmo.chat.max-prompt-bytes");

        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"" + half + "\"},{\"role\":\"user\","
                + "\"content\":\"" + half + "\"}]";
        HttpResponse<String> openAi = postJson("/v1/chat/completions", "{" + messages + "}");
        assertThat(openAi.statusCode()).isEqualTo(413);
        assertThat(openAi.body()).contains("context_length_exceeded", "spring.ai.bolmo.chat.max-prompt-bytes");
        HttpResponse<String> openAiStream = postJson("/v1/chat/completions", "{" + messages + ",\"stream\":true}");
        assertThat(openAiStream.statusCode()).isEqualTo(413);
        assertThat(openAiStream.body()).contains("spring.ai.bolmo.chat.max-prompt-bytes");
        assertThat(model.activeGenerations()).isZero();
    }

    @Test
    void promptBytesInFlightAreBounded() throws Exception {
        String long1 = "y".repeat(700);
        HttpResponse<InputStream> first = HTTP.send(HttpRequest.newBuilder(uri("/chat/stream?maxTokens=1000000&message="
                + URLEncoder.encode(long1, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = first.body()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> model.activeGenerations() == 1);
            // a slot is free, but 2 × 750 prompt bytes (700 + the chat template) would exceed 1400
            HttpResponse<String> second = postJson("/chat", "{\"message\":\"" + long1 + "\"}");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(second.body()).contains("spring.ai.bolmo.chat.max-concurrent-prompt-bytes");
            // a short prompt still fits
            assertThat(postJson("/chat", "{\"message\":\"Hi\",\"maxTokens\":2}").statusCode()).isEqualTo(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> model.activeGenerations() == 0);
        assertThat(postJson("/chat", "{\"message\":\"" + long1 + "\",\"maxTokens\":2}").statusCode())
                .as("admitted again once the first has stopped").isEqualTo(200);
    }
}
