package io.bolmo.spring.ai;

import static org.awaitility.Awaitility.await;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.spring.TestModels;
import io.bolmo.spring.TestModels.WatchedEngine;
import io.bolmo.spring.autoconfigure.Resilience4jGenerationGuard;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The real tiny model (random weights) behind a scheduler of 4 slots, a {@link BolmoChatModel} per test over a
 * {@link WatchedEngine}, and the Resilience4j guard; each test's model and guard are closed after it, once the
 * scheduler has let go of every generation.
 */
abstract class TinyModelTestBase {

    static Bolmo bolmo;
    static BolmoScheduler scheduler;
    WatchedEngine engine;
    BolmoChatModel model;
    Resilience4jGenerationGuard guard;

    @BeforeAll
    static void load() {
        bolmo = Bolmo.load(TestModels.tinyModel(), Bolmo.Options.defaults().withDevice("cpu"));
        scheduler = bolmo.scheduler(BolmoScheduler.Options.of(4));
    }

    @AfterAll
    static void close() {
        scheduler.close();
        bolmo.close();
    }

    @AfterEach
    void closeModel() {
        // a prefill that cannot be interrupted may still run: let it end before the next test
        await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.admitted() == 0);
        if (model != null) {
            model.close();
        }
        if (guard != null) {
            guard.close();
        }
    }

    /** Default options: model name "tiny-olmo3", 24 bytes. */
    BolmoChatModel model(GenerationGuard guard, int maxPromptBytes, ObservationRegistry registry) {
        engine = new WatchedEngine(BolmoEngine.of(bolmo, scheduler));
        model = BolmoChatModel.builder().engine(engine).guard(guard).observationRegistry(registry)
                .maxPromptBytes(maxPromptBytes)
                .defaultOptions(BolmoChatOptions.builder().model("tiny-olmo3").maxTokens(24).build()).build();
        return model;
    }

    BolmoChatModel model(GenerationGuard guard, int maxPromptBytes) {
        return model(guard, maxPromptBytes, ObservationRegistry.NOOP);
    }

    BolmoChatModel model() {
        return model(GenerationGuard.NONE, BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES);
    }

    /** A breaker that opens at 50% failures of the last 4 calls (at least 3), a no-wait bulkhead, a time limit. */
    Resilience4jGenerationGuard guard(int slots, Duration timeout, long maxPromptBytesInFlight) {
        guard = new Resilience4jGenerationGuard(
                CircuitBreaker.of("bolmo", CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(3)
                        .failureRateThreshold(50).build()),
                Bulkhead.of("bolmo", BulkheadConfig.custom().maxConcurrentCalls(slots)
                        .maxWaitDuration(Duration.ZERO).build()),
                TimeLimiter.of("bolmo", TimeLimiterConfig.custom().timeoutDuration(timeout).build()),
                maxPromptBytesInFlight);
        return guard;
    }

    Resilience4jGenerationGuard guard(int slots, Duration timeout) {
        return guard(slots, timeout, Long.MAX_VALUE);
    }
}
