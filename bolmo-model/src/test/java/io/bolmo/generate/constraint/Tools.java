package io.bolmo.generate.constraint;

import io.bolmo.tokenize.ToolDefinition;
import java.util.List;

/** Tools the tool-call tests offer. */
public final class Tools {

    private Tools() {}

    public static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Current weather in a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":30},"
                    + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},"
                    + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},"
                    + "\"required\":[\"city\",\"unit\"],\"additionalProperties\":false}");
    public static final ToolDefinition SEARCH = new ToolDefinition("search", "Search the archive",
            "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\",\"properties\":{"
                    + "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":40},"
                    + "\"filters\":{\"type\":\"array\",\"maxItems\":3,\"items\":{\"type\":\"object\",\"properties\":{"
                    + "\"field\":{\"type\":\"string\",\"enum\":[\"year\",\"author\"]},\"value\":{\"type\":[\"string\",\"integer\"]}},"
                    + "\"required\":[\"field\",\"value\"],\"additionalProperties\":false}}},"
                    + "\"required\":[\"query\",\"filters\"],\"additionalProperties\":false}");
    public static final ToolDefinition NOW = new ToolDefinition("now", "The current time", null);

    public static final List<ToolDefinition> ALL = List.of(WEATHER, SEARCH, NOW);
}
