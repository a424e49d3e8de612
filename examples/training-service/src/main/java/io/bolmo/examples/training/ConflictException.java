package io.bolmo.examples.training;

/** A request that conflicts with the current state (409), e.g. a second concurrent training run. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
