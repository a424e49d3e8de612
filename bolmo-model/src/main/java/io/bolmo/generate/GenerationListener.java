package io.bolmo.generate;

/** Receives the text of a generation as it is made, and can cancel it. */
public interface GenerationListener {

    /** A piece of text made of whole UTF-8 code points (never a split character, never part of a stop sequence). */
    default void onText(String piece) {}

    /** The raw fused output id of every step (step 0 is the forced decision on the last prompt byte). */
    default void onStep(int fusedId) {}

    /** Checked once per decoding step; returning true ends the generation with {@link FinishReason#CANCELLED}. */
    default boolean isCancelled() {
        return false;
    }

    GenerationListener NONE = new GenerationListener() {};
}
