package io.bolmo.generate;

/** Why a generation ended. */
public enum FinishReason {
    /** The model emitted EOS, or a stop sequence matched. */
    STOP,
    /** The byte (or token) limit was reached. */
    LENGTH,
    /** The caller cancelled it. */
    CANCELLED
}
