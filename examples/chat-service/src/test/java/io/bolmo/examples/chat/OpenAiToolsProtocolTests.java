package io.bolmo.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code response_format}, {@code tools}, {@code tool_choice} and {@code tool_calls} on the OpenAI-compatible endpoint,
 * with the random-weight test model: whatever the weights, replies parse as the request asks, calls name an offered
 * tool with arguments of its schema, and bad schemas or choices are 400s naming the field.
 */
class OpenAiToolsProtocolTests extends ServiceTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
            + "\"Weather in a city\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
            + "\"maxLength\":20},\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
            + "\"required\":[\"city\",\"unit\"],\"additionalProperties\":false}}}";
    static final String NOW = "{\"type\":\"function\",\"function\":{\"name\":\"now\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{}}}}";
    static final String PERSON = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":12},"
            + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":130},\"tags\":{\"type\":\"array\",\"items\":"
            + "{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},\"maxItems\":3}},\"required\":[\"name\",\"age\",\"tags\"],"
            + "\"additionalProperties\":false}";

    private JsonNode completion(String fields) throws Exception {
        HttpResponse<String> r = post(fields);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String fields) throws Exception {
        return postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}],"
                + "\"max_tokens\":200" + fields + "}");
    }

    @Test
    void jsonObjectAndJsonSchemaRepliesParseOnEverySeed() throws Exception {
        for (int seed = 0; seed < 4; seed++) {
            String sampling = ",\"temperature\":1,\"seed\":" + seed;
            JsonNode any = completion(sampling + ",\"response_format\":{\"type\":\"json_object\"}");
            assertThat(JSON.readTree(any.at("/choices/0/message/content").asString()).isObject()).isTrue();

            JsonNode person = JSON.readTree(completion(sampling + ",\"response_format\":{\"type\":\"json_schema\","
                    + "\"json_schema\":{\"name\":\"person\",\"strict\":true,\"schema\":" + PERSON + "}}")
                    .at("/choices/0/message/content").asString());
            assertThat(person.propertyNames()).containsExactly("name", "age", "tags");
            assertThat(person.get("name").asString().codePointCount(0, person.get("name").asString().length()))
                    .isLessThanOrEqualTo(12);
            assertThat(person.get("age").isIntegralNumber()).isTrue();
            assertThat(person.get("age").asInt()).isBetween(0, 130);
            assertThat(person.get("tags").size()).isLessThanOrEqualTo(3);
            person.get("tags").forEach(t -> assertThat(t.asString()).isIn("a", "b"));
        }
    }

    @Test
    void requiredAndNamedToolChoicesReturnToolCalls() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            JsonNode r = completion(",\"temperature\":1,\"seed\":" + seed + ",\"tools\":[" + WEATHER + "," + NOW
                    + "],\"tool_choice\":\"required\"");
            JsonNode choice = r.at("/choices/0");
            assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
            assertThat(choice.at("/message/content").isNull()).isTrue();
            JsonNode calls = choice.at("/message/tool_calls");
            assertThat(calls.size()).isPositive();
            for (JsonNode call : calls) {
                assertThat(call.path("id").asString()).startsWith("call_");
                assertThat(call.path("type").asString()).isEqualTo("function");
                assertValid(call.path("function"));
            }
        }
        JsonNode named = completion(",\"tools\":[" + WEATHER + "," + NOW + "],\"tool_choice\":{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\"}},\"parallel_tool_calls\":false");
        JsonNode calls = named.at("/choices/0/message/tool_calls");
        assertThat(calls.size()).isEqualTo(1);
        assertThat(calls.get(0).at("/function/name").asString()).isEqualTo("get_weather");
        assertValid(calls.get(0).path("function"));
    }

    private static void assertValid(JsonNode function) {
        String name = function.path("name").asString();
        assertThat(name).isIn("get_weather", "now");
        JsonNode args = JSON.readTree(function.path("arguments").asString());
        if (name.equals("now")) {
            assertThat(args.isEmpty()).isTrue();
        } else {
            assertThat(args.propertyNames()).containsExactly("city", "unit");
            assertThat(args.get("unit").asString()).isIn("celsius", "fahrenheit");
        }
    }

    @Test
    void noneAndAutoAnswerWithoutMalformedCalls() throws Exception {
        JsonNode none = completion(",\"tools\":[" + WEATHER + "],\"tool_choice\":\"none\"");
        assertThat(none.at("/choices/0/message/tool_calls").isMissingNode()).isTrue();
        assertThat(none.at("/choices/0/message/content").asString()).doesNotContain("<function_calls>");
        assertThat(none.at("/choices/0/finish_reason").asString()).isIn("stop", "length");
        for (int seed = 0; seed < 3; seed++) {
            JsonNode auto = completion(",\"temperature\":1,\"seed\":" + seed + ",\"tools\":[" + WEATHER + "]");
            JsonNode calls = auto.at("/choices/0/message/tool_calls");
            assertThat(auto.at("/choices/0/finish_reason").asString())
                    .isEqualTo(calls.isMissingNode() ? auto.at("/choices/0/finish_reason").asString() : "tool_calls");
            calls.forEach(c -> assertValid(c.path("function")));
        }
    }

    @Test
    void streamedToolCallsComeAsOneDeltaAndFinishWithToolCalls() throws Exception {
        HttpResponse<String> r = post(",\"stream\":true,\"tools\":[" + WEATHER + "],\"tool_choice\":\"required\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data:") && !line.contains("[DONE]")) {
                events.add(JSON.readTree(line.substring(5)));
            }
        }
        assertThat(r.body().strip()).endsWith("data:[DONE]");
        List<JsonNode> withCalls = events.stream().filter(e -> e.at("/choices/0/delta/tool_calls").isArray()).toList();
        assertThat(withCalls).hasSize(1);
        JsonNode delta = withCalls.get(0).at("/choices/0/delta");
        assertThat(delta.path("role").asString()).isEqualTo("assistant");
        JsonNode call = delta.path("tool_calls").get(0);
        assertThat(call.path("index").asInt()).isZero();
        assertThat(call.path("id").asString()).startsWith("call_");
        assertValid(call.path("function"));
        assertThat(events.get(events.size() - 1).at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(events.stream().map(e -> e.at("/choices/0/delta/content").asString(""))
                .filter(s -> s.contains("<function")).toList()).isEmpty();
    }

    @Test
    void toolResultsGoBackAsToolMessages() throws Exception {
        String history = "{\"role\":\"user\",\"content\":\"Weather in Oslo?\"},{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\",\\\"unit\\\":\\\"celsius\\\"}\"}}]},";
        HttpResponse<String> ok = postJson("/v1/chat/completions", "{\"max_tokens\":8,\"tools\":[" + WEATHER + "],"
                + "\"messages\":[" + history + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"3 C\"}]}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> unknown = postJson("/v1/chat/completions", "{\"max_tokens\":8,\"messages\":[" + history
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"3 C\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("messages[2].tool_call_id = 'call_9' answers no tool call");
        HttpResponse<String> badArgs = postJson("/v1/chat/completions", "{\"max_tokens\":8,\"messages\":["
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"now\",\"arguments\":\"[1]\"}}]}]}");
        assertThat(badArgs.statusCode()).isEqualTo(400);
        assertThat(badArgs.body()).contains("messages[0].tool_calls[0].function.arguments must be a JSON object");
    }

    @Test
    void badSchemasAndChoicesAre400sNamingTheirPart() throws Exception {
        String unique = "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"uniqueItems\":true}}}";
        HttpResponse<String> schema = post(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"x\",\"schema\":" + unique + "}}");
        assertThat(schema.statusCode()).isEqualTo(400);
        assertThat(schema.body()).contains("response_format.json_schema.schema", "#/properties/tags/uniqueItems",
                "invalid_request_error");
        assertThat(post(",\"stream\":true,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"name\":\"x\",\"schema\":" + unique + "}}").statusCode()).isEqualTo(400);
        assertThat(post(",\"response_format\":{\"type\":\"yaml\"}").body())
                .contains("response_format.type = \\\"yaml\\\" is invalid");

        HttpResponse<String> unknownTool = post(",\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_time\"}}");
        assertThat(unknownTool.statusCode()).isEqualTo(400);
        assertThat(unknownTool.body()).contains("tool_choice.function.name = 'get_time' names no tool",
                "get_weather");
        assertThat(post(",\"tools\":[" + WEATHER + "],\"tool_choice\":\"sometimes\"").body())
                .contains("tool_choice = \\\"sometimes\\\" is invalid");
        assertThat(post(",\"tool_choice\":\"required\"").body()).contains("needs tools");

        String badParameters = "{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"n\":{\"type\":\"number\",\"multipleOf\":2}}}}}";
        for (String stream : new String[] {"", ",\"stream\":true"}) {
            HttpResponse<String> bad = post(stream + ",\"tools\":[" + badParameters + "]");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bad.body()).contains("tool 'f' parameters", "#/properties/n/multipleOf");
        }
        assertThat(post(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"bad name\"}}]").body())
                .contains("tools[0].function.name");
        assertThat(Set.of(400)).contains(post(",\"tools\":{}").statusCode());
    }
}
