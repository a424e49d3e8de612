package io.bolmo.spring.ai;

/**
 * The whole prompt (every message after the chat template) is longer than the model accepts; nothing was run. Web
 * layers map it to 413. Prefill time and memory grow with the prompt, so the limit protects the service.
 */
public class BolmoPromptTooLargeException extends IllegalArgumentException {

    private final int promptBytes;
    private final int limit;

    public BolmoPromptTooLargeException(int promptBytes, int limit) {
        super("the prompt is " + promptBytes + " bytes (all messages after the chat template, UTF-8); at most " + limit
                + " are allowed (spring.ai.bolmo.chat.max-prompt-bytes)");
        this.promptBytes = promptBytes;
        this.limit = limit;
    }

    public int getPromptBytes() {
        return promptBytes;
    }

    public int getLimit() {
        return limit;
    }
}
