package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The OpenAI endpoint's opt-in extension: {@code "bolmo_boundaries": true} adds the model's patches in a {@code bolmo}
 * field, whose bytes are exactly the content's; without it the answer is plain OpenAI.
 */
class OpenAiBoundariesTests extends ServiceTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> completion(String fields) throws Exception {
        return postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi there\"}],\"max_tokens\":24" + fields + "}");
    }

    private static String text(JsonNode bytes) {
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes.get(i).asInt();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aPlainResponseCarriesTheReplysAndThePromptsPatchesOnRequest() throws Exception {
        JsonNode on = JSON.readTree(completion(",\"bolmo_boundaries\":true").body());
        String content = on.at("/choices/0/message/content").asString();
        JsonNode b = on.at("/bolmo/boundaries");
        assertThat(text(b.get("bytes"))).isEqualTo(content);
        assertThat(b.get("ends").size()).isEqualTo(b.get("bytes").size());
        assertThat(b.get("p").size()).isEqualTo(b.get("bytes").size());
        assertThat(on.at("/bolmo/prompt_boundaries/bytes").size()).isEqualTo(on.at("/usage/prompt_tokens").asInt());

        JsonNode off = JSON.readTree(completion("").body());
        assertThat(off.has("bolmo")).isFalse();
        assertThat(off.at("/choices/0/message/content").asString()).isEqualTo(content);
    }

    @Test
    void everyStreamedChunkCarriesThePatchesOfItsDelta() throws Exception {
        String body = completion(",\"stream\":true,\"bolmo_boundaries\":true").body();
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data:") && !line.contains("[DONE]")) {
                chunks.add(JSON.readTree(line.substring(5)));
            }
        }
        int withContent = 0;
        for (JsonNode c : chunks) {
            JsonNode delta = c.at("/choices/0/delta/content");
            if (!delta.isMissingNode() && !delta.asString().isEmpty()) {
                withContent++;
                assertThat(text(c.at("/bolmo/boundaries/bytes"))).isEqualTo(delta.asString());
            }
        }
        assertThat(withContent).isPositive();
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.at("/choices/0/finish_reason").asString()).isIn("stop", "length");
        assertThat(last.at("/bolmo/prompt_boundaries/bytes").size()).isPositive();
        assertThat(completion(",\"stream\":true").body()).doesNotContain("\"bolmo\"");
    }
}
