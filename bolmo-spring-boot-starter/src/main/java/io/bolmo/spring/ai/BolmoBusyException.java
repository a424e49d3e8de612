package io.bolmo.spring.ai;

/**
 * Admitting this prompt would put more prompt bytes in flight (being prefilled or decoded) than allowed; nothing was
 * run. Like a full bulkhead it is temporary: web layers map it to 429, retry shortly.
 */
public class BolmoBusyException extends RuntimeException {

    public BolmoBusyException(int promptBytes, long inFlight, long limit) {
        super("the model is busy: " + inFlight + " prompt bytes are in flight and this prompt's " + promptBytes
                + " would exceed the limit of " + limit + " (spring.ai.bolmo.chat.max-concurrent-prompt-bytes); "
                + "retry shortly");
    }
}
