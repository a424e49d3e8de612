package io.bolmo.tokenize;

import java.util.List;

/**
 * One turn of a conversation: a role ({@code system}, {@code user}, {@code assistant}, {@code tool}, ...), its text,
 * and for an assistant turn the tools it called ({@link ChatTemplate} renders them in the template's call format).
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls) {

    /** The role of a tool's result turn (the template may write it under another name). */
    public static final String TOOL = "tool";

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("role = '" + role + "' is invalid: must be a non-blank string such as user");
        }
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && !role.equals("assistant")) {
            throw new IllegalArgumentException("toolCalls on a '" + role + "' turn are invalid: only assistant turns call tools");
        }
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of());
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** An assistant turn that (after {@code content}, which may be empty) calls tools. */
    public static ChatMessage assistant(String content, List<ToolCall> calls) {
        return new ChatMessage("assistant", content, calls);
    }

    /** A tool's result, fed back to the model. */
    public static ChatMessage tool(String result) {
        return new ChatMessage(TOOL, result);
    }
}
