package io.bolmo.examples.chat;

import io.bolmo.generate.ByteBoundaries;
import io.bolmo.spring.ai.BolmoChatModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The OpenAI endpoint's non-standard extension, opt-in with {@code "bolmo_boundaries": true} in the request: a
 * {@code bolmo} object in the response and in each stream chunk, beside OpenAI's fields (clients ignore unknown
 * fields). {@code bolmo.boundaries}: the {@link PatchJson} of exactly the bytes of the chunk's {@code delta.content}
 * (of the whole {@code message.content} in a plain response); {@code bolmo.prompt_boundaries}: the prompt's (every
 * message after the chat template), in the response and in the chunk that carries {@code finish_reason}.
 */
final class BolmoResponseExtension {

    static final String FIELD = "bolmo";

    private BolmoResponseExtension() {}

    /** {@code body} with the {@code bolmo} field when {@code r} carries patch reports; unchanged otherwise. */
    static Map<String, Object> add(Map<String, Object> body, ChatResponse r) {
        if (r == null) {
            return body;
        }
        Map<String, Object> bolmo = new LinkedHashMap<>();
        if (r.getResult() != null) {
            ByteBoundaries reply = r.getResult().getMetadata().get(BolmoChatModel.BOUNDARIES);
            if (reply != null) {
                bolmo.put("boundaries", PatchJson.of(reply));
            }
        }
        ByteBoundaries prompt = r.getMetadata().get(BolmoChatModel.PROMPT_BOUNDARIES);
        if (prompt != null) {
            bolmo.put("prompt_boundaries", PatchJson.of(prompt));
        }
        if (!bolmo.isEmpty()) {
            body.put(FIELD, bolmo);
        }
        return body;
    }
}
