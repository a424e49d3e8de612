package io.bolmo.spring.ai;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.ChatMessage;
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
        };
    }
}
