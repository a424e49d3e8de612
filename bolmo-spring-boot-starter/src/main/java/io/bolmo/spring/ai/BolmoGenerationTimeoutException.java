package io.bolmo.spring.ai;

import java.time.Duration;

/**
 * A generation ran past its time limit (counted from admission, prefill included): the reply fails at the limit
 * while the engine stops it within a step, and its slot is freed once it has. Web layers map it to 503.
 */
public class BolmoGenerationTimeoutException extends RuntimeException {

    private final Duration timeout;

    public BolmoGenerationTimeoutException(Duration timeout) {
        super("generation stopped after the time limit of " + timeout.toMillis()
                + " ms (resilience4j.timelimiter.instances.bolmo.timeout-duration or "
                + "spring.ai.bolmo.chat.generation-timeout)");
        this.timeout = timeout;
    }

    public Duration getTimeout() {
        return timeout;
    }
}
