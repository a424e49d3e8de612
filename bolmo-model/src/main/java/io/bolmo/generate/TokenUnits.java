package io.bolmo.generate;

import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The subword model's units: token ids. A token's text is its vocabulary bytes ({@link SubwordVocabulary#byteIds}
 * − 4); the subword EOS (the config's, else the vocabulary's) ends generation. Stateless: one instance serves every
 * generation of a model.
 */
final class TokenUnits implements Units {

    private final int eos;
    /** Ids the model may emit: those with a vocabulary entry (the LM head is padded past the vocabulary). */
    private final int[] emittable;
    /** Text bytes of every id (null for ids without an entry). */
    private final int[][] bytes;

    TokenUnits(OlmoConfig config, SubwordVocabulary vocab) {
        Integer configured = config.eosTokenId();
        this.eos = configured != null ? configured : vocab.eosId();
        int rows = config.vocabSize();
        this.bytes = new int[rows][];
        for (int id = 0; id < rows; id++) {
            int[] ids = vocab.byteIds(id);
            bytes[id] = ids == null ? null
                    : Arrays.stream(ids).filter(b -> b >= BolmoConfig.BYTE_OFFSET).map(b -> b - BolmoConfig.BYTE_OFFSET)
                            .toArray();
        }
        this.emittable = IntStream.range(0, rows).filter(id -> bytes[id] != null).toArray();
        if (emittable.length == 0) {
            throw new IllegalArgumentException("vocabulary " + vocab.source() + " has no id below the model's vocab_size "
                    + rows);
        }
    }

    @Override
    public int[] prefillRows(int[] prompt) {
        return null;
    }

    @Override
    public int[] forcedChoice(int[] prompt) {
        return null;
    }

    @Override
    public int row(int unit) {
        return 0;
    }

    @Override
    public int promptUnits(int[] prompt) {
        return prompt.length;
    }

    @Override
    public int choose(float[] logits, Sampler sampler) {
        return sampler.sample(logits, emittable);
    }

    @Override
    public boolean isEos(int unit) {
        return unit == eos;
    }

    @Override
    public int[] bytes(int unit) {
        return bytes[unit];
    }
}
