package io.bolmo.examples.training;

/** An execution or job that does not exist (404). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
