package io.bolmo.tokenize;

/**
 * A call of a tool in an assistant turn: the tool's name and its arguments as JSON object text (what Spring AI's
 * {@code AssistantMessage.ToolCall} and OpenAI's {@code tool_calls[].function} carry).
 */
public record ToolCall(String name, String arguments) {

    public ToolCall {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tool call name = '" + name + "' is invalid: must be a tool's name");
        }
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
