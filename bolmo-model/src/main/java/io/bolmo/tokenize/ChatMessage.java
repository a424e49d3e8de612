package io.bolmo.tokenize;

/** One turn of a conversation: a role ({@code system}, {@code user}, {@code assistant}, ...) and its text. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("role = '" + role + "' is invalid: must be a non-blank string such as user");
        }
        content = content == null ? "" : content;
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
}
