package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.Disposable;

/**
 * The time limit and a client's cancellation around the prefill, made deterministic by the engine's first
 * cancellation check, which the scheduler makes just before it prefills: the tests hold the engine there, or request
 * the stop from there, so the prefill starts with the stop already requested.
 *
 * <p>The two tests named {@code ...DuringThePrefill...} need the model to check cancellation between prefill chunks
 * (chunked prefill in bolmo-model). Against a prefill that cannot be interrupted they fail: the model prefills the
 * whole prompt and makes the forced decision on its last byte before it sees the stop, and until then the slot stays
 * busy (seconds for a long prompt).
 */
class PrefillCancellationTests extends TinyModelTestBase {

    /** About 4 KB: several prefill chunks. */
    private static final String LONG_TEXT = "The Parliament adopted the resolution. ".repeat(100);

    private BolmoChatModel model(Duration timeout) {
        return model(guard(1, timeout, 1 << 20), 1 << 20);
    }

    private static Prompt longPrompt() {
        return new Prompt(LONG_TEXT, BolmoChatOptions.builder().maxTokens(1_000_000).build());
    }

    private boolean slotFree() {
        return guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 1;
    }

    /** Holds the engine at its first check, just before the prefill, until {@code latch} opens. */
    private void holdBeforeThePrefillUntil(CountDownLatch latch) {
        engine.onFirstCheck = () -> {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** The clock starts at admission: a request held before its prefill still gets its timeout on time. */
    @Test
    void theTimeLimitCountsFromAdmissionSoItCoversThePrefill() throws Exception {
        BolmoChatModel m = model(Duration.ofMillis(100));
        CountDownLatch replied = new CountDownLatch(1);
        holdBeforeThePrefillUntil(replied);
        long start = System.nanoTime();
        assertThatThrownBy(() -> m.call(longPrompt())).isInstanceOf(BolmoGenerationTimeoutException.class);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(engine.fusedSteps).as("the prefill has not even started").hasValue(0);
        assertThat(m.activeGenerations()).as("still counted until the engine lets go").isEqualTo(1);
        assertThat(slotFree()).isFalse();
        replied.countDown();

        GenerationResult result = engine.results.poll(30, TimeUnit.SECONDS);
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        await().atMost(Duration.ofSeconds(5)).until(this::slotFree);
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(elapsed).isLessThan(Duration.ofSeconds(30));
    }

    /** Needs chunked prefill with a cancellation check between chunks (bolmo-model). */
    @Test
    void aClientGoneDuringThePrefillStopsItBeforeItEnds() throws Exception {
        BolmoChatModel m = model(Duration.ofSeconds(120));
        AtomicReference<Disposable> subscription = new AtomicReference<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        engine.onFirstCheck = () -> {
            try {
                subscribed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            subscription.get().dispose(); // the client leaves as the prefill starts
        };
        subscription.set(m.stream(longPrompt()).subscribe(r -> {}, e -> {}));
        subscribed.countDown();

        assertStoppedBeforeThePrefillEnded(m);
    }

    /** Needs chunked prefill with a cancellation check between chunks (bolmo-model). */
    @Test
    void aTimeLimitPassingDuringThePrefillStopsItBeforeItEnds() throws Exception {
        BolmoChatModel m = model(Duration.ofMillis(100));
        CountDownLatch replied = new CountDownLatch(1);
        // the time limit passes while the engine is held; the check then reports what it read before (not
        // stopped), so the prefill begins with the stop already requested
        holdBeforeThePrefillUntil(replied);
        assertThatThrownBy(() -> m.call(longPrompt())).isInstanceOf(BolmoGenerationTimeoutException.class);
        replied.countDown();

        assertStoppedBeforeThePrefillEnded(m);
    }

    private void assertStoppedBeforeThePrefillEnded(BolmoChatModel m) throws InterruptedException {
        GenerationResult result = engine.results.poll(120, TimeUnit.SECONDS);
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(engine.fusedSteps).as("the prefill stopped before its forced decision on the last byte")
                .hasValue(0);
        await().atMost(Duration.ofSeconds(5)).until(this::slotFree);
        assertThat(m.activeGenerations()).isZero();
    }
}
