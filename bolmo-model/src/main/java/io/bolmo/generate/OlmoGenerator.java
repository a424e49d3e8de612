package io.bolmo.generate;

import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.tokenize.SubwordVocabulary;

/**
 * Generation with the subword source model (plain KV-cache decoding, one token per step) on the same terms as
 * {@link BolmoGenerator}: the same {@link Generation}, {@link Sampler}, stop sequences, limits and cancellation, so
 * the two can be compared (model.md §8.2, §8.4). Units are tokens ({@link TokenUnits}). Thread-safe: every call has its
 * own sequence.
 */
public final class OlmoGenerator implements Generator {

    private final Engine engine;
    private final TokenUnits units;

    public OlmoGenerator(Engine engine, OlmoConfig config, SubwordVocabulary vocab) {
        this.engine = engine;
        this.units = new TokenUnits(config, vocab);
    }

    /** Generates after the subword ids {@code promptIds} (at least one). */
    @Override
    public GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener) {
        if (options.constraint() != null) {
            throw new IllegalArgumentException("constraint = " + options.constraint() + " is invalid here: constrained"
                    + " decoding is byte-level, for Bolmo models only");
        }
        if (options.repetitionPenalty() != 0 || options.reportBoundaries()) {
            throw new IllegalArgumentException("repetitionPenalty = " + options.repetitionPenalty()
                    + ", reportBoundaries = " + options.reportBoundaries() + " is invalid here: the repetition penalty"
                    + " and boundary reports are byte-level, for Bolmo models only (use 0 and false)");
        }
        try (Generation g = new Generation(engine, units, promptIds, options, listener, listener::isCancelled)) {
            return g.runAlone(engine);
        }
    }
}
