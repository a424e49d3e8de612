package io.bolmo.spring.ai;

import io.bolmo.generate.ByteBoundaries;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.constraint.ByteConstraint;
import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingManager;

/**
 * One chat request as the engine takes it: the conversation (tool calls and results included), the tools offered,
 * and the generation options with the constraint the request asks for: JSON under its output schema, or a reply
 * under its tool choice (its content under the output schema when both are given). {@link #generation} reads the
 * reply back into an {@link AssistantMessage} with its {@link AssistantMessage.ToolCall}s.
 *
 * <p>A forced tool choice ({@code required} or a named function) applies to a reply to the user; a reply that
 * follows tool results is {@code auto}. ChatClient's tool loop sends the same options every round, so a forced
 * choice would otherwise call tools until the loop's limit (OpenAI's Agents SDK resets {@code tool_choice} after a
 * call for the same reason).
 */
final class BolmoRequest {

    /** The finish reason of a reply that calls tools (as Spring AI's OpenAI model reports it). */
    static final String TOOL_CALLS = "TOOL_CALLS";

    final List<ChatMessage> messages;
    final List<ToolDefinition> tools;
    final GenerationOptions options;
    private final ToolCallFormat format;

    private BolmoRequest(List<ChatMessage> messages, List<ToolDefinition> tools, GenerationOptions options,
            ToolCallFormat format) {
        this.messages = messages;
        this.tools = tools;
        this.options = options;
        this.format = format;
    }

    static BolmoRequest of(Prompt request, ToolCallingManager toolCallingManager, ToolCallFormat format) {
        BolmoChatOptions o = (BolmoChatOptions) request.getOptions();
        List<ChatMessage> messages = BolmoChatModel.toChatMessages(request.getInstructions());
        List<ToolDefinition> tools = toolCallingManager.resolveToolDefinitions(o).stream()
                .map(d -> new ToolDefinition(d.name(), d.description(), d.inputSchema())).toList();
        ToolChoice choice = choice(o, request.getInstructions());
        ByteConstraint constraint = null;
        if (!tools.isEmpty() || choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.FUNCTION) {
            constraint = BolmoConstraints.tools(format, tools, choice, !Boolean.FALSE.equals(o.getParallelToolCalls()),
                    o.getOutputSchema());
        } else if (o.getOutputSchema() != null) {
            constraint = BolmoConstraints.schema(o.getOutputSchema());
        }
        GenerationOptions options = o.toGenerationOptions();
        if (constraint != null) {
            options = options.mutate().constraint(constraint).build();
        }
        return new BolmoRequest(messages, tools, options, format);
    }

    private static ToolChoice choice(BolmoChatOptions o, List<Message> conversation) {
        ToolChoice choice = o.getToolChoice() == null ? ToolChoice.auto() : o.getToolChoice();
        boolean forced = choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.FUNCTION;
        boolean afterResults = !conversation.isEmpty()
                && conversation.get(conversation.size() - 1).getMessageType() == MessageType.TOOL;
        return forced && afterResults ? ToolChoice.auto() : choice;
    }

    /** Passes streamed text through, holding back a calls block; null when no tools are offered. */
    ToolCallFormat.@Nullable ContentFilter contentFilter() {
        return tools.isEmpty() ? null : format.contentFilter();
    }

    /**
     * The reply as Spring AI carries it: its content (left out when it was streamed already) and its tool calls,
     * with finish reason {@value #TOOL_CALLS} when it calls tools, and the reply's patches when they were asked for.
     */
    Generation generation(GenerationResult result, boolean withContent, @Nullable ByteBoundaries boundaries) {
        String content = result.text();
        List<AssistantMessage.ToolCall> calls = List.of();
        if (!tools.isEmpty()) {
            ToolCallFormat.Reply reply = parse(result);
            content = reply.content();
            calls = reply.calls().stream().map(c -> new AssistantMessage.ToolCall(
                    "call_" + UUID.randomUUID().toString().replace("-", ""), "function", c.name(), c.arguments()))
                    .toList();
        }
        String finish = calls.isEmpty() ? result.finishReason().name() : TOOL_CALLS;
        ChatGenerationMetadata.Builder metadata = ChatGenerationMetadata.builder().finishReason(finish);
        if (boundaries != null) {
            metadata.metadata(BolmoChatModel.BOUNDARIES, boundaries);
        }
        return new Generation(AssistantMessage.builder().content(withContent ? content : "").toolCalls(calls).build(),
                metadata.build());
    }

    /** A constrained reply always parses; one cut short by cancellation may end inside a call, which is dropped. */
    private ToolCallFormat.Reply parse(GenerationResult result) {
        try {
            return format.parse(result.text());
        } catch (IllegalArgumentException cutShort) {
            if (result.finishReason() != FinishReason.CANCELLED) {
                throw cutShort;
            }
            int open = result.text().indexOf(format.callsOpen());
            return new ToolCallFormat.Reply(result.text().substring(0, open < 0 ? result.text().length() : open).strip(),
                    List.of());
        }
    }
}
