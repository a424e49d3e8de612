package io.bolmo.spring.ai;

import java.time.Duration;

/**
 * Admission control around each generation (bulkhead, circuit breaker) and its time limit. The starter implements
 * it with Resilience4j; the model itself depends on no resilience library.
 */
public interface GenerationGuard {

    /**
     * Admits one generation or throws at once (for example because all slots are busy or the circuit is open). Must
     * not block for long: it runs on the caller's thread, which may be an event loop.
     */
    Permit acquire();

    /** The longest a generation may run before it is cancelled; {@link Duration#ZERO} = no limit. */
    Duration timeout();

    /** Exactly one of the methods is called, once the engine has stopped; that frees the slot. */
    interface Permit {

        void succeeded(Duration elapsed);

        /** The engine threw. */
        void failed(Duration elapsed, Throwable error);

        /** The caller cancelled (dispose, client disconnect): not the engine's fault. */
        void cancelled();

        /** The time limit ended it. */
        void timedOut(Duration elapsed);
    }

    GenerationGuard NONE = new GenerationGuard() {
        private final Permit permit = new Permit() {
            @Override
            public void succeeded(Duration elapsed) {}

            @Override
            public void failed(Duration elapsed, Throwable error) {}

            @Override
            public void cancelled() {}

            @Override
            public void timedOut(Duration elapsed) {}
        };

        @Override
        public Permit acquire() {
            return permit;
        }

        @Override
        public Duration timeout() {
            return Duration.ZERO;
        }
    };
}
