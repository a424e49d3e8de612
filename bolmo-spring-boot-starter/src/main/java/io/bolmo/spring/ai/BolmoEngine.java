package io.bolmo.spring.ai;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.ChatMessage;
import java.util.List;

/**
 * What {@link BolmoChatModel} needs from the engine: one blocking chat turn. {@link Bolmo#chat} is the real one; the
 * seam exists so tests can wrap it (slow it down, make it fail) without touching model code.
 */
@FunctionalInterface
public interface BolmoEngine {

    GenerationResult chat(List<ChatMessage> messages, GenerationOptions options, GenerationListener listener);

    /** Each call decodes alone (its own thread reads all the weights for every byte). */
    static BolmoEngine of(Bolmo bolmo) {
        return bolmo::chat;
    }

    /**
     * Calls are decoded together by {@code scheduler} (continuous batching): concurrent {@code call} and
     * {@code stream} requests share decoding steps. The caller's thread waits; listeners run on the scheduler's.
     */
    static BolmoEngine of(Bolmo bolmo, BolmoScheduler scheduler) {
        return (messages, options, listener) -> bolmo.chat(scheduler, messages, options, listener);
    }
}
