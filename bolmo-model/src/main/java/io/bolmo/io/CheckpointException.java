package io.bolmo.io;

/** A checkpoint file or directory cannot be read or written; the message names the file (and tensor, if any). */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
