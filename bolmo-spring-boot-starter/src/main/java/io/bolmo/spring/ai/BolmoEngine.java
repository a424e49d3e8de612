package io.bolmo.spring.ai;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link BolmoChatModel} needs from the model: the size of a conversation's prompt, and one chat turn started
 * without waiting. {@link #of(Bolmo, BolmoScheduler)} is the real one; the seam exists so tests can wrap it (slow
 * it down, make it fail) without touching model code.
 */
public interface BolmoEngine {

    /** UTF-8 bytes of the text the model prefills for {@code messages}: every message after the chat template. */
    int promptBytes(List<ChatMessage> messages);

    /**
     * Starts one chat turn and returns at once. The future completes once the engine has stopped: finished, failed,
     * or cancelled through {@link GenerationListener#isCancelled()} (then with finish reason CANCELLED).
     */
    CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, GenerationOptions options,
            GenerationListener listener);

    /** How the chat template offers tools and writes calls; replies are read back with it. */
    default ToolCallFormat toolFormat() {
        return ChatTemplate.OLMO.tools();
    }

    /** As {@link #promptBytes(List)}, with {@code tools} offered; an engine without tools refuses them. */
    default int promptBytes(List<ChatMessage> messages, List<ToolDefinition> tools) {
        if (!tools.isEmpty()) {
            throw new UnsupportedOperationException("this engine cannot offer tools");
        }
        return promptBytes(messages);
    }

    /** As {@link #submit(List, GenerationOptions, GenerationListener)}, with {@code tools} offered in the prompt. */
    default CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, List<ToolDefinition> tools,
            GenerationOptions options, GenerationListener listener) {
        if (!tools.isEmpty()) {
            throw new UnsupportedOperationException("this engine cannot offer tools");
        }
        return submit(messages, options, listener);
    }

    /**
     * Turns are decoded together by {@code scheduler} (continuous batching): concurrent {@code call} and
     * {@code stream} requests share decoding steps, and listeners run on the scheduler's thread.
     */
    static BolmoEngine of(Bolmo bolmo, BolmoScheduler scheduler) {
        return new BolmoEngine() {
            @Override
            public int promptBytes(List<ChatMessage> messages) {
                return bolmo.template().render(messages).getBytes(StandardCharsets.UTF_8).length;
            }

            @Override
            public CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, GenerationOptions options,
                    GenerationListener listener) {
                return bolmo.submitChat(scheduler, messages, options, listener);
            }

            @Override
            public ToolCallFormat toolFormat() {
                return bolmo.template().tools();
            }

            @Override
            public int promptBytes(List<ChatMessage> messages, List<ToolDefinition> tools) {
                return bolmo.template().render(messages, tools).getBytes(StandardCharsets.UTF_8).length;
            }

            @Override
            public CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, List<ToolDefinition> tools,
                    GenerationOptions options, GenerationListener listener) {
                return bolmo.submitChat(scheduler, messages, tools, options, listener);
            }
        };
    }
}
