package io.bolmo.train.optim;

/** A saved optimizer state does not fit the optimizer it is restored into (names the parameter or setting). */
public class OptimizerStateException extends RuntimeException {

    public OptimizerStateException(String message) {
        super(message);
    }

    public OptimizerStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
