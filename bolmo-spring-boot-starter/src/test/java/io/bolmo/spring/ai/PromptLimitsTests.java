package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.Disposable;

/** What one request, and all requests together, may ask the model to prefill. */
class PromptLimitsTests extends TinyModelTestBase {

    private static int renderedBytes(List<ChatMessage> messages) {
        return ChatTemplate.OLMO.render(messages).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theWholePromptAfterTheTemplateIsLimitedBeforeAnyWork() {
        BolmoChatModel m = model(GenerationGuard.NONE, 200);
        // each message alone is under the limit; together, with the template around them, they are not
        String a = "a".repeat(90);
        String b = "é".repeat(45); // 90 UTF-8 bytes: the limit counts bytes, not characters
        int bytes = renderedBytes(List.of(ChatMessage.system(a), ChatMessage.user(b)));
        assertThat(engine.promptBytes(List.of(ChatMessage.system(a), ChatMessage.user(b)))).isEqualTo(bytes);
        assertThat(bytes).isGreaterThan(200);
        Prompt tooLong = new Prompt(List.of(new SystemMessage(a), new UserMessage(b)));

        assertThatThrownBy(() -> m.call(tooLong)).isInstanceOf(BolmoPromptTooLargeException.class)
                .hasMessageContaining("the prompt is " + bytes + " bytes").hasMessageContaining("at most 200")
                .hasMessageContaining("spring.ai.bolmo.chat.max-prompt-bytes");
        assertThatThrownBy(() -> m.stream(tooLong).blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(BolmoPromptTooLargeException.class);
        assertThat(engine.submitted).as("nothing reached the engine").hasValue(0);

        // exactly at the limit is fine
        int overhead = renderedBytes(List.of(ChatMessage.user("")));
        Prompt atLimit = new Prompt(new UserMessage("x".repeat(200 - overhead)));
        assertThat(m.call(atLimit).getMetadata().getUsage().getPromptTokens()).isEqualTo(200);
    }

    @Test
    void promptBytesInFlightAreBoundedAndFreedOnceTheEngineStops() {
        BolmoChatModel m = model(guard(4, Duration.ofSeconds(60), 300), 300);
        engine.stepDelayMillis = 5;
        Prompt long1 = new Prompt(new UserMessage("x".repeat(170)),
                BolmoChatOptions.builder().maxTokens(1_000_000).build());
        int longBytes = engine.promptBytes(List.of(ChatMessage.user("x".repeat(170))));
        Disposable busy = m.stream(long1).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> m.activeGenerations() == 1);
        assertThat(guard.promptBytesInFlight()).isEqualTo(longBytes);

        // a free slot is not enough: a second long prompt would put more than 300 bytes in flight
        assertThatThrownBy(() -> m.call(new Prompt(new UserMessage("y".repeat(170)))))
                .isInstanceOf(BolmoBusyException.class).hasMessageContaining(longBytes + " prompt bytes are in flight")
                .hasMessageContaining("spring.ai.bolmo.chat.max-concurrent-prompt-bytes");
        assertThat(engine.submitted).hasValue(1);
        assertThat(guard.bulkhead().getMetrics().getAvailableConcurrentCalls()).as("the rejection gave back its slot")
                .isEqualTo(3);
        // a short one still fits beside it
        assertThat(m.call(new Prompt("Hi")).getResult()).isNotNull();

        busy.dispose();
        await().atMost(Duration.ofSeconds(5)).until(() -> guard.promptBytesInFlight() == 0
                && guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 4);
        engine.stepDelayMillis = 0;
        assertThat(m.call(new Prompt(new UserMessage("y".repeat(170)))).getResult()).isNotNull();
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }
}
