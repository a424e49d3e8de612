package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.spring.ai.BolmoChatModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ChatEndpointsTests extends ServiceTestBase {

    @Autowired
    BolmoChatModel model;

    @Autowired
    MeterRegistry meters;

    @Test
    void postChatAnswersWithUsage() throws Exception {
        HttpResponse<String> r = postJson("/chat", "{\"message\":\"Hello\",\"maxTokens\":12}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"answer\"", "\"finishReason\"", "\"promptBytes\"", "\"generatedBytes\"");
    }

    @Test
    void streamSendsPiecesThenDone() throws Exception {
        HttpResponse<String> r = get("/chat/stream?message=Hi&maxTokens=16");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        assertThat(r.body()).contains("event:done");
    }

    @Test
    void badRequestsGet400WithAMessage() throws Exception {
        HttpResponse<String> blank = postJson("/chat", "{\"message\":\"  \"}");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("message must not be blank");

        HttpResponse<String> tokens = postJson("/chat", "{\"message\":\"Hi\",\"maxTokens\":0}");
        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(tokens.body()).contains("maxTokens = 0");

        HttpResponse<String> temperature = postJson("/chat", "{\"message\":\"Hi\",\"temperature\":-2}");
        assertThat(temperature.statusCode()).isEqualTo(400);
        assertThat(temperature.body()).contains("temperature = -2.0");

        HttpResponse<String> malformed = postJson("/chat", "{\"message\":");
        assertThat(malformed.statusCode()).isEqualTo(400);

        HttpResponse<String> streamBlank = get("/chat/stream");
        assertThat(streamBlank.statusCode()).isEqualTo(400);

        HttpResponse<String> openAi = postJson("/v1/chat/completions", "{\"messages\":[]}");
        assertThat(openAi.statusCode()).isEqualTo(400);
        assertThat(openAi.body()).contains("messages must be a non-empty array");
        HttpResponse<String> role = postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}");
        assertThat(role.statusCode()).isEqualTo(400);
        assertThat(role.body()).contains("role = 'tool'");
    }

    @Test
    void requestSizeIsLimited() throws Exception {
        String big = "x".repeat(100_000);
        HttpResponse<String> body = postJson("/chat", "{\"message\":\"" + big + "\"}");
        assertThat(body.statusCode()).as(body.body()).isEqualTo(413);
        HttpResponse<String> message = postJson("/chat", "{\"message\":\"" + "y".repeat(9000) + "\"}");
        assertThat(message.statusCode()).isEqualTo(400);
        assertThat(message.body()).contains("9000 characters");
    }

    @Test
    void healthShowsTheModel() throws Exception {
        HttpResponse<String> r = get("/actuator/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"bolmo\"", "\"modelLoaded\":true", "\"parameters\"", "\"device\"");
    }

    /** The metrics exist (an operator exposes them with management.endpoints.web.exposure.include). */
    @Test
    void genAiMetricsAppearAfterAChat() throws Exception {
        assertThat(postJson("/chat", "{\"message\":\"Hi\",\"maxTokens\":4}").statusCode()).isEqualTo(200);
        String provider = LowCardinalityKeyNames.AI_PROVIDER.asString();
        assertThat(meters.find("gen_ai.client.token.usage").tag(provider, "bolmo").meters()).isNotEmpty();
        assertThat(meters.find("gen_ai.client.operation").tag(provider, "bolmo").timers()).isNotEmpty();
    }

    @Test
    void clientDisconnectStopsTheGeneration() throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(uri(
                "/chat/stream?message=Tell%20a%20long%20story&maxTokens=2048")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isNotNull();
            assertThat(model.activeGenerations()).isEqualTo(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> model.activeGenerations() == 0);
    }
}
