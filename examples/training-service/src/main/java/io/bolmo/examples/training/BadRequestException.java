package io.bolmo.examples.training;

/** A request the service refuses with 400, with a message naming what is wrong. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
