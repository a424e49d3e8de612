package io.bolmo.examples.chat;

/** A request the service refuses to run; answered with 400 and this message. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
