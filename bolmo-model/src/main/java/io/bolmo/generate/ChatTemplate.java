package io.bolmo.generate;

import java.util.List;

/**
 * Renders a conversation into the prompt text a model was tuned on, with the assistant turn left open, and
 * names the string that closes a turn (a stop sequence for generation). The default is the Olmo 3 instruct
 * (ChatML) template: {@code <|im_start|>role\ncontent<|im_end|>\n}, ending with {@code <|im_start|>assistant\n}.
 *
 * @param turnStart  text before the role
 * @param roleEnd    text between the role and the content
 * @param turnEnd    text after the content; its trimmed form is the stop sequence
 */
public record ChatTemplate(String turnStart, String roleEnd, String turnEnd) {

    public static final ChatTemplate OLMO = new ChatTemplate("<|im_start|>", "\n", "<|im_end|>\n");

    public ChatTemplate {
        if (turnEnd == null || turnEnd.strip().isEmpty()) {
            throw new IllegalArgumentException("turnEnd = '" + turnEnd + "' is invalid: it must contain visible text, "
                    + "which ends an assistant turn");
        }
    }

    public String render(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one message");
        }
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append(turnStart).append(m.role()).append(roleEnd).append(m.content()).append(turnEnd);
        }
        return sb.append(turnStart).append("assistant").append(roleEnd).toString();
    }

    /** The string that ends the assistant's turn; generation stops there. */
    public String stopSequence() {
        return turnEnd.strip();
    }

    /** Options for a chat turn: {@code base} plus this template's stop sequence. */
    public GenerationOptions withStop(GenerationOptions base) {
        if (base.stop().contains(stopSequence())) {
            return base;
        }
        List<String> stops = new java.util.ArrayList<>(base.stop());
        stops.add(stopSequence());
        return base.mutate().stop(stops).build();
    }
}
