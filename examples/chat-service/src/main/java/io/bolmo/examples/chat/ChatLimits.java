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

    public int maxMessageChars() {
        return maxMessageChars;
    }
}
