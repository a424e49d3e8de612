package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.spring.TestModels;
import io.bolmo.spring.TestModels.WatchedEngine;
import io.bolmo.spring.autoconfigure.Resilience4jGenerationGuard;
import io.bolmo.tokenize.ChatMessage;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.Disposable;

/**
 * The time limit and a client's cancellation while a long prompt is being prefilled. The prompt is chosen so that
 * its prefill alone takes at least a second on this machine ({@link #prefill}); each test then asks for something
 * to happen in well under half of that.
 *
 * <p>The two tests named {@code ...FreesItsSlotPromptly} need the model to check cancellation between prefill
 * chunks (chunked prefill in bolmo-model); against a prefill that cannot be interrupted they fail, because the slot
 * stays busy until the whole prompt has been prefilled.
 */
class PrefillCancellationTests {

    private static Bolmo bolmo;
    private static BolmoScheduler scheduler;
    private static String longText;
    private static Duration prefill;
    private WatchedEngine engine;
    private BolmoChatModel model;
    private Resilience4jGenerationGuard guard;

    @BeforeAll
    static void loadAndFindASlowPrompt() {
        bolmo = Bolmo.load(TestModels.tinyModel(), Bolmo.Options.defaults().withDevice("cpu"));
        scheduler = bolmo.scheduler(BolmoScheduler.Options.of(2));
        bolmo.chat(List.of(ChatMessage.user("warm up")), GenerationOptions.greedy(1), GenerationListener.NONE);
        for (int bytes = 4000; bytes <= 16000; bytes *= 2) {
            longText = "The Parliament adopted the resolution. ".repeat(bytes / 39);
            GenerationResult r = bolmo.chat(List.of(ChatMessage.user(longText)), GenerationOptions.greedy(1),
                    GenerationListener.NONE);
            prefill = Duration.ofNanos(r.prefillNanos());
            if (prefill.toMillis() >= 1000) {
                break;
            }
        }
    }

    @AfterAll
    static void close() {
        scheduler.close();
        bolmo.close();
    }

    @AfterEach
    void closeModel() {
        // a prefill that could not be interrupted still runs: let it end before the next test measures
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.admitted() == 0);
        if (model != null) {
            model.close();
            guard.close();
        }
    }

    private BolmoChatModel model(Duration timeout) {
        assumeThat(prefill).as("prefill of the longest prompt tried (16 KB) is too fast to observe").isGreaterThan(
                Duration.ofMillis(1000));
        guard = new Resilience4jGenerationGuard(CircuitBreaker.ofDefaults("bolmo"),
                Bulkhead.of("bolmo", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO)
                        .build()),
                TimeLimiter.of("bolmo", TimeLimiterConfig.custom().timeoutDuration(timeout).build()), 1 << 20);
        engine = new WatchedEngine(BolmoEngine.of(bolmo, scheduler));
        model = BolmoChatModel.builder().engine(engine).guard(guard).maxPromptBytes(1 << 20).build();
        return model;
    }

    private static Prompt longPrompt() {
        return new Prompt(longText, BolmoChatOptions.builder().maxTokens(1_000_000).build());
    }

    private boolean slotFree() {
        return guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 1;
    }

    @Test
    void theTimeLimitCoversThePrefill() {
        BolmoChatModel m = model(Duration.ofMillis(150));
        long start = System.nanoTime();
        assertThatThrownBy(() -> m.call(longPrompt())).isInstanceOf(BolmoGenerationTimeoutException.class);
        Duration replied = Duration.ofNanos(System.nanoTime() - start);
        assertThat(replied).as("reply after %s; prefill alone takes %s", replied, prefill)
                .isLessThan(prefill.dividedBy(2));
    }

    /** Needs chunked prefill with a cancellation check between chunks (bolmo-model). */
    @Test
    void aPrefillStoppedByTheTimeLimitFreesItsSlotPromptly() throws Exception {
        BolmoChatModel m = model(Duration.ofMillis(150));
        long start = System.nanoTime();
        assertThatThrownBy(() -> m.call(longPrompt())).isInstanceOf(BolmoGenerationTimeoutException.class);
        await().atMost(Duration.ofSeconds(60)).until(this::slotFree);
        Duration freed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(freed).as("slot freed after %s; prefill alone takes %s", freed, prefill)
                .isLessThan(prefill.dividedBy(2));
        assertThat(engine.results.poll(1, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
    }

    /** Needs chunked prefill with a cancellation check between chunks (bolmo-model). */
    @Test
    void aClientGoneDuringThePrefillFreesItsSlotPromptly() throws Exception {
        BolmoChatModel m = model(Duration.ofSeconds(60));
        Disposable subscription = m.stream(longPrompt()).subscribe(r -> {}, e -> {});
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.admitted() == 1);
        Thread.sleep(prefill.toMillis() / 10); // well inside the prefill
        long start = System.nanoTime();
        subscription.dispose();
        await().atMost(Duration.ofSeconds(60)).until(this::slotFree);
        Duration freed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(freed).as("slot freed %s after the client left; prefill alone takes %s", freed, prefill)
                .isLessThan(prefill.dividedBy(2));
        assertThat(engine.results.poll(1, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(m.activeGenerations()).isZero();
    }
}
