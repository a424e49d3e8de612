package io.bolmo.generate;

import java.util.function.IntFunction;

/**
 * The decoding loop every generator shares (model.md §8.1 step 4): before every step check cancellation and the unit
 * limit, feed the unit chosen last, choose the next one with the {@link Sampler}, stop on EOS, and pass the unit's
 * bytes to the {@link TextStream}, which stops on a stop sequence; stop too once the units report a complete
 * constrained output. What a unit is (a fused byte id or a subword
 * token) is the {@link Units}' business.
 *
 * <p>One instance is one generation's loop, cut at the feed: {@link #check()} before it and {@link #accept} after
 * it. {@link #runFrom} feeds one generation at a time; the {@link BolmoScheduler} feeds many generations in one
 * batched step and calls the same two halves for each, so both follow the same rules.
 */
final class DecodeLoop {

    /** One model's side of the loop: what its units mean. */
    interface Units {

        /** Chooses the next unit from {@code logits} (which ids may be emitted, any bias). */
        int choose(float[] logits, Sampler sampler);

        boolean isEos(int unit);

        /** The text bytes (0..255) of a generated unit that is not a stopping EOS; may be empty. */
        int[] bytes(int unit);

        /** Whether {@code unit} ends a patch (Bolmo's fused flag); false for a model without patches. */
        default boolean boundary(int unit) {
            return false;
        }

        /** P(the chosen unit's byte ends a patch) from the {@code logits} it was chosen from; NaN without patches. */
        default float boundaryProbability(float[] logits, int unit) {
            return Float.NaN;
        }

        /** The output is complete (a constraint admits nothing more): stop after the unit just chosen. */
        default boolean complete() {
            return false;
        }
    }

    /** How the loop ended and how many units it generated (a stopping EOS not counted). */
    record Outcome(FinishReason reason, int generated) {}

    private final Units units;
    private final Sampler sampler;
    private final TextStream text;
    private final GenerationOptions options;
    private final GenerationListener listener;
    private int pending;
    private int generated;

    /** {@code pending}: a unit still to be fed before the first choice (−1: none, see {@link #start}). */
    DecodeLoop(Units units, int pending, Sampler sampler, TextStream text, GenerationOptions options,
            GenerationListener listener) {
        this.units = units;
        this.pending = pending;
        this.sampler = sampler;
        this.text = text;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Runs until a stop; {@code pending} is a unit still to be fed before the first choice (−1: none, then
     * {@code logits} are the first step's); {@code feed} feeds a unit and returns the logits for the next. The text
     * stream is finished on return.
     */
    static Outcome run(Units units, IntFunction<float[]> feed, float[] logits, int pending, Sampler sampler,
            TextStream text, GenerationOptions options, GenerationListener listener) {
        DecodeLoop loop = new DecodeLoop(units, pending, sampler, text, options, listener);
        try {
            return loop.runFrom(loop.start(logits), feed);
        } finally {
            loop.finish();
        }
    }

    /** Feeds one unit at a time through {@code feed} until a stop; {@code started} is {@link #start}'s outcome. */
    Outcome runFrom(Outcome started, IntFunction<float[]> feed) {
        Outcome o = started;
        while (o == null) {
            o = check();
            if (o == null) {
                o = accept(feed.apply(pending));
            }
        }
        return o;
    }

    /**
     * With no unit pending, the first choice comes from the prefill's {@code logits} without a feed; afterwards
     * there is always a unit to feed. Null: go on.
     */
    Outcome start(float[] logits) {
        if (pending >= 0) {
            return null;
        }
        Outcome o = check();
        return o != null ? o : accept(logits);
    }

    /** Before a feed: cancellation, then the unit limit. Null: feed {@link #pending()}. */
    Outcome check() {
        if (listener.isCancelled()) {
            return new Outcome(FinishReason.CANCELLED, generated);
        }
        if (generated >= options.maxNewBytes()) {
            return new Outcome(FinishReason.LENGTH, generated);
        }
        return null;
    }

    /** After a feed: chooses the next unit from its {@code logits}, stops on EOS or a stop sequence. Null: go on. */
    Outcome accept(float[] logits) {
        int next = units.choose(logits, sampler);
        listener.onStep(next);
        if (options.stopAtEos() && units.isEos(next)) {
            return new Outcome(FinishReason.STOP, generated);
        }
        generated++;
        pending = next;
        boolean boundary = units.boundary(next);
        float probability = options.reportBoundaries() ? units.boundaryProbability(logits, next) : Float.NaN;
        for (int b : units.bytes(next)) {
            if (text.accept(b, boundary, probability)) {
                return new Outcome(FinishReason.STOP, generated);
            }
        }
        return units.complete() ? new Outcome(FinishReason.STOP, generated) : null;
    }

    /** The unit chosen last, to be fed next. */
    int pending() {
        return pending;
    }

    /** Releases the text still held back; call once, however the loop ended. */
    void finish() {
        text.finish();
    }
}
