package io.bolmo.spring.autoconfigure;

import io.bolmo.spring.ai.GenerationGuard;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Resilience4j guard: a circuit breaker, then a semaphore bulkhead (no waiting queue, so the excess is rejected
 * with {@link BulkheadFullException} at once), and the time limiter's duration as the generation time limit. The
 * decorators of Resilience4j are not used because they cannot stop a running generation; here the permit is
 * released by {@code BolmoChatModel} once the engine has really stopped, and the circuit breaker hears only about
 * engine failures: rejections, client cancellations and timeouts do not count against the engine.
 */
public class Resilience4jGenerationGuard implements GenerationGuard {

    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;

    public Resilience4jGenerationGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, TimeLimiter timeLimiter) {
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.timeLimiter = timeLimiter;
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

    @Override
    public Permit acquire() {
        if (!circuitBreaker.tryAcquirePermission()) {
            throw CallNotPermittedException.createCallNotPermittedException(circuitBreaker);
        }
        if (!bulkhead.tryAcquirePermission()) {
            circuitBreaker.releasePermission();
            throw BulkheadFullException.createBulkheadFullException(bulkhead);
        }
        return new Permit() {
            @Override
            public void succeeded(Duration elapsed) {
                bulkhead.onComplete();
                circuitBreaker.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
                timeLimiter.onSuccess();
            }

            @Override
            public void failed(Duration elapsed, Throwable error) {
                bulkhead.onComplete();
                circuitBreaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, error);
                timeLimiter.onError(error);
            }

            @Override
            public void cancelled() {
                bulkhead.onComplete();
                circuitBreaker.releasePermission();
            }

            @Override
            public void timedOut(Duration elapsed) {
                bulkhead.onComplete();
                circuitBreaker.releasePermission();
                timeLimiter.onError(new TimeoutException("generation exceeded " + timeout()));
            }
        };
    }

    @Override
    public Duration timeout() {
        return timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
    }
}
