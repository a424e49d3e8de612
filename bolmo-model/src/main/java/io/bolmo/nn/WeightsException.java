package io.bolmo.nn;

/** A checkpoint does not fit the model: a tensor is missing, unexpected or has the wrong shape. */
public class WeightsException extends IllegalArgumentException {

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
