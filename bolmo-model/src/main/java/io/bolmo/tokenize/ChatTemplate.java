package io.bolmo.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a conversation into the prompt text a model was tuned on, with the assistant turn left open, and
 * names the string that closes a turn (a stop sequence for generation). The default is the Olmo 3 instruct
 * (ChatML) template: {@code <|im_start|>role\ncontent<|im_end|>\n}, ending with {@code <|im_start|>assistant\n}.
 * Generation ({@link #render}) and chat fine-tuning ({@link #transcript}) share it, so a fine-tuned model sees at
 * inference exactly the prefix it was trained on. Tools, tool calls and tool results are written in the template's
 * {@link ToolCallFormat} (Olmo 3's by default); a conversation without them renders exactly as before.
 *
 * @param turnStart  text before the role
 * @param roleEnd    text between the role and the content
 * @param turnEnd    text after the content; its trimmed form is the stop sequence
 * @param tools      how tool definitions, calls and results are written
 */
public record ChatTemplate(String turnStart, String roleEnd, String turnEnd, ToolCallFormat tools) {

    public static final ChatTemplate OLMO = new ChatTemplate("<|im_start|>", "\n", "<|im_end|>\n");

    /** The role whose turns a chat fine-tune learns. */
    public static final String ASSISTANT = "assistant";

    /**
     * A whole conversation as training text, with the UTF-8 byte ranges the model learns to produce.
     *
     * @param text    every turn rendered, nothing left open
     * @param trained [from, to) UTF-8 byte offsets into {@code text}: each assistant turn's content and its
     *                closing {@code turnEnd}, in order
     */
    public record Transcript(String text, List<int[]> trained) {

        /** Per UTF-8 byte of {@code text}: 1 inside a trained range, else 0. */
        public int[] byteMask() {
            int[] mask = new int[text.getBytes(StandardCharsets.UTF_8).length];
            for (int[] r : trained) {
                java.util.Arrays.fill(mask, r[0], r[1], 1);
            }
            return mask;
        }
    }

    public ChatTemplate {
        if (turnEnd == null || turnEnd.strip().isEmpty()) {
            throw new IllegalArgumentException("turnEnd = '" + turnEnd + "' is invalid: it must contain visible text, "
                    + "which ends an assistant turn");
        }
        tools = tools == null ? ToolCallFormat.OLMO3 : tools;
    }

    /** With Olmo 3's tool format. */
    public ChatTemplate(String turnStart, String roleEnd, String turnEnd) {
        this(turnStart, roleEnd, turnEnd, ToolCallFormat.OLMO3);
    }

    public String render(List<ChatMessage> messages) {
        return render(messages, List.of());
    }

    /**
     * The prompt with {@code tools} offered to the model: listed at the end of the system turn (the format's
     * default system text is added when the conversation has no system turn). No tools: as {@link #render(List)}.
     */
    public String render(List<ChatMessage> messages, List<ToolDefinition> tools) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one message");
        }
        StringBuilder sb = new StringBuilder();
        boolean listed = tools.isEmpty();
        if (!listed && messages.stream().noneMatch(m -> m.role().equals("system"))) {
            appendTurn(sb, "system", this.tools.defaultSystem() + this.tools.renderTools(tools));
            listed = true;
        }
        for (ChatMessage m : messages) {
            if (!listed && m.role().equals("system")) {
                appendTurn(sb, "system", m.content() + this.tools.renderTools(tools));
                listed = true;
            } else {
                appendTurn(sb, role(m), body(m));
            }
        }
        return sb.append(turnStart).append(ASSISTANT).append(roleEnd).toString();
    }

    /**
     * Renders every turn (the last one closed too) and marks what a fine-tune trains on: the content of each
     * {@code assistant} turn and its {@code turnEnd}. The text before an assistant turn's content is exactly
     * {@link #render} of the turns before it, the prompt the model then sees at inference.
     */
    public Transcript transcript(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one message");
        }
        StringBuilder sb = new StringBuilder();
        List<int[]> trained = new ArrayList<>();
        int bytes = 0;
        for (ChatMessage m : messages) {
            String head = turnStart + role(m) + roleEnd;
            String tail = body(m) + turnEnd;
            sb.append(head).append(tail);
            bytes += utf8Length(head);
            int tailBytes = utf8Length(tail);
            if (ASSISTANT.equals(m.role())) {
                trained.add(new int[] {bytes, bytes + tailBytes});
            }
            bytes += tailBytes;
        }
        return new Transcript(sb.toString(), List.copyOf(trained));
    }

    private void appendTurn(StringBuilder sb, String role, String body) {
        sb.append(turnStart).append(role).append(roleEnd).append(body).append(turnEnd);
    }

    /** The role as written: a tool result under the format's role for it. */
    private String role(ChatMessage m) {
        return m.role().equals(ChatMessage.TOOL) ? tools.resultRole() : m.role();
    }

    /** The content, and an assistant turn's tool calls after it. */
    private String body(ChatMessage m) {
        return m.toolCalls().isEmpty() ? m.content() : m.content() + tools.renderCalls(m.toolCalls());
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The string that ends the assistant's turn; generation stops there. */
    public String stopSequence() {
        return turnEnd.strip();
    }
}
