package io.bolmo.examples.chat;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Request limits shared by all endpoints, so a single request cannot ask for unbounded work. */
@Component
public class ChatLimits {

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

    public int maxMessageChars() {
        return maxMessageChars;
    }
}
