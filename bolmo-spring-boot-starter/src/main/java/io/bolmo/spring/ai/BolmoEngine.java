package io.bolmo.spring.ai;

import io.bolmo.Bolmo;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import java.util.List;

/**
 * What {@link BolmoChatModel} needs from the engine: one blocking chat turn. {@link Bolmo#chat} is the real one; the
 * seam exists so tests can wrap it (slow it down, make it fail) without touching model code.
 */
@FunctionalInterface
public interface BolmoEngine {

    GenerationResult chat(List<ChatMessage> messages, GenerationOptions options, GenerationListener listener);

    static BolmoEngine of(Bolmo bolmo) {
        return bolmo::chat;
    }
}
