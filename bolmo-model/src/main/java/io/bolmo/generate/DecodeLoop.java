package io.bolmo.generate;

/**
 * The decoding loop both generators share (spec 8.1 step 4): before every step check cancellation and the unit
 * limit, feed the unit chosen last, choose the next one with the {@link Sampler}, stop on EOS, and pass the unit's
 * bytes to the {@link TextStream}, which stops on a stop sequence. What a unit is (a fused byte id or a subword
 * token) is the {@link Units}' business.
 */
final class DecodeLoop {

    /** One model's side of the loop. */
    interface Units {

        /** Feeds the unit chosen last and returns the logits for the next. */
        float[] feed(int unit);

        /** Chooses the next unit from {@code logits} (which ids may be emitted, any bias). */
        int choose(float[] logits, Sampler sampler);

        boolean isEos(int unit);

        /** The text bytes (0..255) of a generated unit that is not a stopping EOS; may be empty. */
        int[] bytes(int unit);
    }

    /** How the loop ended and how many units it generated (a stopping EOS not counted). */
    record Outcome(FinishReason reason, int generated) {}

    private DecodeLoop() {}

    /**
     * Runs until a stop; {@code pending} is a unit still to be fed before the first choice (−1: none, then
     * {@code logits} are the first step's). The text stream is finished on return.
     */
    static Outcome run(Units units, float[] logits, int pending, Sampler sampler, TextStream text,
            GenerationOptions options, GenerationListener listener) {
        int next = pending;
        int generated = 0;
        try {
            while (true) {
                if (listener.isCancelled()) {
                    return new Outcome(FinishReason.CANCELLED, generated);
                }
                if (generated >= options.maxNewBytes()) {
                    return new Outcome(FinishReason.LENGTH, generated);
                }
                if (next >= 0) {
                    logits = units.feed(next);
                }
                next = units.choose(logits, sampler);
                listener.onStep(next);
                if (options.stopAtEos() && units.isEos(next)) {
                    return new Outcome(FinishReason.STOP, generated);
                }
                generated++;
                for (int b : units.bytes(next)) {
                    if (text.accept(b)) {
                        return new Outcome(FinishReason.STOP, generated);
                    }
                }
            }
        } finally {
            text.finish();
        }
    }
}
