package io.bolmo.bench;

import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.OlmoGenerator;
import io.bolmo.tokenize.SubwordVocabulary;

/**
 * Times greedy decoding of the subword model at batch 1 with the {@link OlmoGenerator} (KV cache, the same loop
 * and sampler as Bolmo's), EOS ignored so the token count is exact. A short warm-up generation runs first so
 * one-off costs are not charged to the figures.
 */
final class SubwordBench {

    /** What was measured; times in seconds. */
    record Result(int promptTokens, double prefillSeconds, int tokens, double decodeSeconds,
            ProcessMemory afterDecode) {

        double tokensPerSecond() {
            return tokens / decodeSeconds;
        }
    }

    private SubwordBench() {}

    static Result run(Engine engine, OlmoConfig config, SubwordVocabulary vocab, int[] prompt, int tokens) {
        OlmoGenerator generator = new OlmoGenerator(engine, config, vocab);
        generator.generate(prompt, options(2), GenerationListener.NONE);
        GenerationResult r = generator.generate(prompt, options(tokens), GenerationListener.NONE);
        return new Result(prompt.length, r.prefillNanos() / 1e9, r.generatedUnits(), r.decodeNanos() / 1e9,
                ProcessMemory.now());
    }

    private static GenerationOptions options(int tokens) {
        return GenerationOptions.builder().maxNewBytes(tokens).stopAtEos(false).build();
    }
}
