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

    private HttpResponse<String> postStream(String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/chat/stream")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The page's stream: settings in the body, pieces with their patches, then done with usage and the prompt's. */
    @Test
    void postStreamCarriesSettingsAndPatches() throws Exception {
        HttpResponse<String> r = postStream("{\"message\":\"Hi\",\"maxTokens\":16,\"boundaries\":true,"
                + "\"temperature\":0.5,\"seed\":3,\"topP\":0.9,\"repetitionPenalty\":1.5,\"boundaryBias\":0.2,"
                + "\"stop\":[\"zz\"]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        assertThat(r.body()).contains("event:piece", "\"boundaries\":{\"bytes\":[", "\"ends\":[", "\"p\":[",
                "event:done", "\"prompt\":{\"bytes\":[", "\"patches\":");
    }

    /** Each setting is checked with its range; the message names the field and what is allowed. */
    @Test
    void badSettingsGet400NamingTheValueAndTheRange() throws Exception {
        String[][] cases = {
                {"\"temperature\":5", "temperature = 5.0 is invalid: it must be between 0 and 2.0 (0 = greedy)"},
                {"\"topP\":0", "topP = 0.0 is invalid: it must be greater than 0 and at most 1 (1 = off)"},
                {"\"boundaryBias\":11", "boundaryBias = 11.0 is invalid: it must be between -10.0 and 10.0"},
                {"\"repetitionPenalty\":-1", "repetitionPenalty = -1.0 is invalid: it must be between 0.0 and 10.0"},
                {"\"stop\":[\"\"]", "stop[0] = '' is invalid: each stop sequence must be a non-empty string"},
                {"\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop has 5 sequences; at most 4 are allowed"},
                {"\"conversationId\":\"../x\"", "conversationId = '../x' is invalid: it must be 1 to 64 letters"},
                {"\"maxTokens\":5000", "maxTokens = 5000 is invalid: it must be between 1 and 2048"}};
        for (String[] c : cases) {
            HttpResponse<String> r = postStream("{\"message\":\"Hi\"," + c[0] + "}");
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains(c[1]);
            HttpResponse<String> plain = postJson("/chat", "{\"message\":\"Hi\"," + c[0] + "}");
            assertThat(plain.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(plain.body()).as(c[0]).contains(c[1]);
        }
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
                "{\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}");
        assertThat(role.statusCode()).isEqualTo(400);
        assertThat(role.body()).contains("role = 'function'", "use system, developer, user, assistant or tool");
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
