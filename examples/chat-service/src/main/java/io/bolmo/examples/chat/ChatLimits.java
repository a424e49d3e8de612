package io.bolmo.examples.chat;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Request limits shared by all endpoints, so a single request cannot ask for unbounded work. The whole prompt is
 * limited by the starter ({@code spring.ai.bolmo.chat.max-prompt-bytes}); these are the per-field limits.
 */
@Component
public class ChatLimits {

    static final double MAX_TEMPERATURE = 2.0;
    /** Beyond ±10 every byte would end a patch, or none would: a mistake, not a setting. */
    static final double MAX_BOUNDARY_BIAS = 10.0;
    /** 10 already forbids any repeat past repetition-min-bytes; more only hides typos. */
    static final double MAX_REPETITION_PENALTY = 10.0;
    /** OpenAI allows up to 4 stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;
    static final int MAX_STOP_CHARS = 64;
    /** A conversation id as the page makes it (a UUID), or any short token of a client's choosing. */
    private static final java.util.regex.Pattern CONVERSATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final int maxMessageChars;
    private final int maxTokens;

    public ChatLimits(@Value("${chat.max-message-chars:8000}") int maxMessageChars,
            @Value("${chat.max-tokens-limit:2048}") int maxTokens) {
        this.maxMessageChars = maxMessageChars;
        this.maxTokens = maxTokens;
    }

    public String message(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequestException(name + " must not be blank");
        }
        if (value.length() > maxMessageChars) {
            throw new BadRequestException(name + " has " + value.length() + " characters; at most " + maxMessageChars
                    + " are allowed");
        }
        return value;
    }

    public Integer maxTokens(String name, Integer value) {
        if (value != null && (value < 1 || value > maxTokens)) {
            throw new BadRequestException(name + " = " + value + " is invalid: it must be between 1 and " + maxTokens);
        }
        return value;
    }

    /** OpenAI's range: beyond 2 sampling is close to uniform noise, and a huge value is a mistake, not a wish. */
    public Double temperature(String name, Double value) {
        if (value != null && !(value >= 0 && value <= MAX_TEMPERATURE)) {
            throw new BadRequestException(name + " = " + value + " is invalid: it must be between 0 and "
                    + MAX_TEMPERATURE + " (0 = greedy)");
        }
        return value;
    }

    public Double topP(String name, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            throw new BadRequestException(name + " = " + value + " is invalid: it must be greater than 0 and at most 1"
                    + " (1 = off)");
        }
        return value;
    }

    public Double boundaryBias(String name, Double value) {
        return range(name, value, -MAX_BOUNDARY_BIAS, MAX_BOUNDARY_BIAS, " (0 = the model's own patches)");
    }

    public Double repetitionPenalty(String name, Double value) {
        return range(name, value, 0, MAX_REPETITION_PENALTY, " (0 = off)");
    }

    public java.util.List<String> stop(String name, java.util.List<String> value) {
        if (value == null) {
            return null;
        }
        if (value.size() > MAX_STOP_SEQUENCES) {
            throw new BadRequestException(name + " has " + value.size() + " sequences; at most " + MAX_STOP_SEQUENCES
                    + " are allowed");
        }
        for (int i = 0; i < value.size(); i++) {
            String s = value.get(i);
            if (s == null || s.isEmpty() || s.length() > MAX_STOP_CHARS) {
                throw new BadRequestException(name + "[" + i + "] = " + (s == null ? "null" : "'" + s + "'")
                        + " is invalid: each stop sequence must be a non-empty string of at most " + MAX_STOP_CHARS
                        + " characters");
            }
        }
        return value;
    }

    public String conversationId(String name, String value) {
        if (value != null && !CONVERSATION_ID.matcher(value).matches()) {
            throw new BadRequestException(name + " = '" + (value.length() > 80 ? value.substring(0, 80) + "…" : value)
                    + "' is invalid: it must be 1 to 64 letters, digits, '-' or '_'");
        }
        return value;
    }

    private static Double range(String name, Double value, double min, double max, String note) {
        if (value != null && !(value >= min && value <= max)) {
            throw new BadRequestException(name + " = " + value + " is invalid: it must be between " + min + " and "
                    + max + note);
        }
        return value;
    }

    public int maxTokensLimit() {
        return maxTokens;
    }

    public int maxMessageChars() {
        return maxMessageChars;
    }
}
