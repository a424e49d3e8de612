package io.bolmo.generate;

/** Receives the text of a generation as it is made, and can cancel it. */
public interface GenerationListener {

    /** A piece of text made of whole UTF-8 code points (never a split character, never part of a stop sequence). */
    default void onText(String piece) {}

    /**
     * With {@link GenerationOptions#reportBoundaries()} (Bolmo): the bytes of the {@link #onText} piece that follows at
     * once, each with its patch decision and probability ({@link ByteBoundaries}): the piece is those bytes decoded
     * (their UTF-8 text; a byte that is no valid UTF-8 becomes U+FFFD). A stop sequence, held back, is never reported.
     */
    default void onBoundaries(ByteBoundaries piece) {}

    /**
     * With {@link GenerationOptions#reportBoundaries()} (Bolmo): the prompt's bytes (BOS excluded, the chat template
     * included) with the patches the prefill ran; once, after the prefill and before any text.
     */
    default void onPromptBoundaries(ByteBoundaries prompt) {}

    /** The raw fused output id of every step (step 0 is the forced decision on the last prompt byte). */
    default void onStep(int fusedId) {}

    /** Checked once per decoding step; returning true ends the generation with {@link FinishReason#CANCELLED}. */
    default boolean isCancelled() {
        return false;
    }

    GenerationListener NONE = new GenerationListener() {};
}
