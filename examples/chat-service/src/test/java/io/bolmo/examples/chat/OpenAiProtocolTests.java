package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible endpoint takes what OpenAI takes and refuses what OpenAI refuses, with a 4xx that says why. */
class OpenAiProtocolTests extends ServiceTestBase {

    /** A Java class name (package.Class), a stack frame or an exception's simple name. */
    private static final Pattern INTERNAL = Pattern.compile(
            "\\b[a-z]+(\\.[a-z0-9_]+)+\\.[A-Z]\\w*|\\w+Exception\\b|\\.java:\\d+|\\$[A-Z]");

    private HttpResponse<String> completion(String fields) throws Exception {
        return postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4" + fields + "}");
    }

    @Test
    void stopMustBeStrings() throws Exception {
        HttpResponse<String> r = completion(",\"stop\":[1,null,{}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("stop[0] = 1 is invalid", "non-empty string");
        assertThat(completion(",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]").body()).contains("at most 4");
        assertThat(completion(",\"stop\":{}").statusCode()).isEqualTo(400);
        assertThat(completion(",\"stop\":[\"\\n\\n\"]").statusCode()).isEqualTo(200);
        assertThat(completion(",\"stop\":\"END\"").statusCode()).isEqualTo(200);
    }

    @Test
    void theListedModelCanBeFetchedById() throws Exception {
        HttpResponse<String> listed = get("/v1/models/tiny-olmo3");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"id\":\"tiny-olmo3\"", "\"object\":\"model\"");
        HttpResponse<String> other = get("/v1/models/gpt-4o");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("model_not_found", "gpt-4o");
    }

    @Test
    void temperatureIsBounded() throws Exception {
        HttpResponse<String> huge = completion(",\"temperature\":1e9");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("temperature = 1.0E9 is invalid", "between 0 and 2");
        assertThat(completion(",\"temperature\":2").statusCode()).isEqualTo(200);
        assertThat(completion(",\"temperature\":-0.1").statusCode()).isEqualTo(400);
        assertThat(postJson("/chat", "{\"message\":\"Hi\",\"temperature\":3}").statusCode()).isEqualTo(400);
    }

    @Test
    void integersMustBeIntegers() throws Exception {
        HttpResponse<String> decimal = completion(",\"max_completion_tokens\":1.5");
        assertThat(decimal.statusCode()).isEqualTo(400);
        assertThat(decimal.body()).contains("invalid type for 'max_completion_tokens': expected an integer");
        HttpResponse<String> string = postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":\"10\"}");
        assertThat(string.statusCode()).isEqualTo(400);
        assertThat(string.body()).contains("invalid type for 'max_tokens': expected an integer");
        assertThat(completion(",\"seed\":1.5").body()).contains("'seed': expected an integer");
        assertThat(postJson("/chat", "{\"message\":\"Hi\",\"maxTokens\":\"10\"}").body())
                .contains("'maxTokens': expected an integer");
        HttpResponse<String> query = get("/chat/stream?message=Hi&maxTokens=1.5");
        assertThat(query.statusCode()).isEqualTo(400);
        assertThat(query.body()).contains("maxTokens = '1.5' is invalid: expected an integer");
        assertThat(completion(",\"temperature\":1").statusCode()).as("an integer is a number").isEqualTo(200);
    }

    @Test
    void anAssistantTurnWithToolCallsMayHaveNoContent() throws Exception {
        HttpResponse<String> r = postJson("/v1/chat/completions", "{\"max_tokens\":4,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"What is the weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"user\",\"content\":\"Never mind.\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> noContent = postJson("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"assistant\",\"content\":null}]}");
        assertThat(noContent.statusCode()).isEqualTo(400);
        assertThat(noContent.body()).contains("messages[0].content must not be blank");
    }

    @Test
    void errorBodiesNameTheRequestNotTheCode() throws Exception {
        List<HttpResponse<String>> bad = List.of(
                completion(",\"stop\":[1,null,{}]"),
                completion(",\"max_tokens\":1.5"),
                completion(",\"n\":\"two\""),
                completion(",\"stream\":\"yes\""),
                completion(",\"messages\":{}"),
                postJson("/v1/chat/completions", "{\"messages\":[null]}"),
                postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}"),
                postJson("/v1/chat/completions", "{\"messages\":"),
                postJson("/v1/chat/completions", "[1,2]"),
                postJson("/v1/chat/completions", ""),
                postJson("/chat", "{\"message\":\"Hi\",\"seed\":{}}"),
                get("/chat/stream?message=Hi&temperature=hot"),
                get("/v1/chat/completions"));
        assertThat(bad.get(8).body()).contains("the request body must be an object in JSON");
        for (HttpResponse<String> r : bad) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(r.body()).as("status %d", r.statusCode()).contains("\"message\"");
            assertThat(INTERNAL.matcher(r.body()).find()).as("internal name in %s", r.body()).isFalse();
        }
    }
}
