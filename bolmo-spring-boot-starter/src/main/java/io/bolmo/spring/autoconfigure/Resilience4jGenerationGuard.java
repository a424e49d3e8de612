package io.bolmo.spring.autoconfigure;

import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationResult;
import io.bolmo.spring.ai.BolmoBusyException;
import io.bolmo.spring.ai.BolmoGenerationTimeoutException;
import io.bolmo.spring.ai.GenerationGuard;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Resilience4j guard. Admission: the circuit breaker, then a semaphore bulkhead (no waiting queue, so the
 * excess is rejected with {@link BulkheadFullException} at once), then a budget of prompt bytes in flight (prefill
 * and decoding cost grow with the prompt, so a few long prompts are rejected with {@link BolmoBusyException} even
 * when slots are free). Time limit: the time limiter's duration, counted from admission (before the prefill); when
 * it passes, the generation is told to stop and the reply fails at once with a timeout.
 *
 * <p>The decorators of Resilience4j are not used because they cannot stop a running generation and would free the
 * slot while the engine still works; here the bulkhead permit and the prompt bytes are released when the engine's
 * own future completes, and the circuit breaker hears only about engine failures: rejections, client cancellations
 * and timeouts do not count against the engine.
 */
public class Resilience4jGenerationGuard implements GenerationGuard, AutoCloseable {

    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    private final long maxPromptBytesInFlight;
    private final ScheduledThreadPoolExecutor timer;
    private long promptBytesInFlight; // guarded by this

    /**
     * @param maxPromptBytesInFlight the most prompt bytes of admitted generations that have not stopped yet
     */
    public Resilience4jGenerationGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, TimeLimiter timeLimiter,
            long maxPromptBytesInFlight) {
        if (maxPromptBytesInFlight < 1) {
            throw new IllegalArgumentException("maxPromptBytesInFlight = " + maxPromptBytesInFlight
                    + " is invalid: must be >= 1");
        }
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.timeLimiter = timeLimiter;
        this.maxPromptBytesInFlight = maxPromptBytesInFlight;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bolmo-time-limit");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    public TimeLimiter timeLimiter() {
        return timeLimiter;
    }

    /** The longest a generation may run, from admission to its last byte. */
    public Duration timeout() {
        return timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
    }

    public long maxPromptBytesInFlight() {
        return maxPromptBytesInFlight;
    }

    /** Prompt bytes of the generations admitted and not stopped yet. */
    public synchronized long promptBytesInFlight() {
        return promptBytesInFlight;
    }

    @Override
    public CompletableFuture<GenerationResult> run(int promptBytes, Generation generation) {
        admit(promptBytes);
        long start = System.nanoTime();
        Duration timeout = timeout();
        CompletableFuture<GenerationResult> reply = new CompletableFuture<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        // armed before the engine sees the request, so the limit covers waiting and prefill as well as decoding
        ScheduledFuture<?> alarm = timer.schedule(() -> {
            timedOut.set(true);
            generation.stop();
            reply.completeExceptionally(new BolmoGenerationTimeoutException(timeout));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<GenerationResult> engine;
        try {
            engine = generation.start();
        } catch (RuntimeException e) {
            alarm.cancel(false);
            release(promptBytes);
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        engine.whenComplete((result, error) -> {
            alarm.cancel(false);
            release(promptBytes);
            record(System.nanoTime() - start, result, error, timedOut.get());
            if (error != null) {
                reply.completeExceptionally(error);
            } else {
                reply.complete(result);
            }
        });
        return reply;
    }

    /** Circuit breaker, bulkhead, prompt bytes: each rejection gives back what the steps before it took. */
    private void admit(int promptBytes) {
        if (!circuitBreaker.tryAcquirePermission()) {
            throw CallNotPermittedException.createCallNotPermittedException(circuitBreaker);
        }
        if (!bulkhead.tryAcquirePermission()) {
            circuitBreaker.releasePermission();
            throw BulkheadFullException.createBulkheadFullException(bulkhead);
        }
        synchronized (this) {
            if (promptBytesInFlight + promptBytes <= maxPromptBytesInFlight) {
                promptBytesInFlight += promptBytes;
                return;
            }
        }
        bulkhead.onComplete();
        circuitBreaker.releasePermission();
        throw new BolmoBusyException(promptBytes, promptBytesInFlight(), maxPromptBytesInFlight);
    }

    private void release(int promptBytes) {
        synchronized (this) {
            promptBytesInFlight -= promptBytes;
        }
        bulkhead.onComplete();
    }

    /** Only the engine's own failures count against it; a timeout is the time limiter's event. */
    private void record(long nanos, GenerationResult result, Throwable error, boolean timedOut) {
        if (error != null) {
            circuitBreaker.onError(nanos, TimeUnit.NANOSECONDS, error);
            timeLimiter.onError(error);
        } else if (timedOut) {
            circuitBreaker.releasePermission();
            timeLimiter.onError(new TimeoutException("generation exceeded " + timeout()));
        } else if (result.finishReason() == FinishReason.CANCELLED) {
            circuitBreaker.releasePermission();
        } else {
            circuitBreaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            timeLimiter.onSuccess();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
