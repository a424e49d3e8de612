package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.OlmoModel;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Generation with the subword source model (plain KV-cache decoding, one token per step) on the same terms as
 * {@link BolmoGenerator}: the same {@link Sampler}, stop sequences, limits and cancellation ({@link DecodeLoop}),
 * so the two can be compared (spec 8.2, 8.4). Units are tokens; a token's text is its vocabulary bytes
 * ({@link SubwordVocabulary#byteIds} − 4). The subword EOS ends generation. Thread-safe: every call has its own
 * {@link OlmoSequence}.
 */
public final class OlmoGenerator implements Generator {

    private final OlmoModel model;
    private final NDManager manager;
    private final int eos;
    /** Ids the model may emit: those with a vocabulary entry (the LM head is padded past the vocabulary). */
    private final int[] emittable;
    /** Text bytes of every id (none for specials). */
    private final int[][] bytes;

    public OlmoGenerator(OlmoModel model, SubwordVocabulary vocab) {
        this.model = model;
        this.manager = model.weights().manager();
        Integer configured = model.config().eosTokenId();
        this.eos = configured != null ? configured : vocab.eosId();
        int rows = model.config().vocabSize();
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

    /** Generates after the subword ids {@code promptIds} (at least one). */
    public GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener) {
        if (options.constraint() != null) {
            throw new IllegalArgumentException("constraint = " + options.constraint() + " is invalid here: constrained"
                    + " decoding is byte-level, for Bolmo models only");
        }
        Sampler sampler = new Sampler(options);
        TextStream text = new TextStream(options.stop(), listener);
        long start = System.nanoTime();
        try (OlmoSequence seq = new OlmoSequence(model, manager)) {
            float[] logits = seq.prefill(promptIds);
            long decodeStart = System.nanoTime();
            DecodeLoop.Outcome o = DecodeLoop.run(new Tokens(seq), logits, -1, sampler, text, options, listener);
            long end = System.nanoTime();
            return new GenerationResult(text.text(), promptIds.length, o.generated(), text.textBytes(),
                    (int) (seq.position() - promptIds.length), o.reason(), decodeStart - start, end - decodeStart);
        }
    }

    public OlmoModel model() {
        return model;
    }

    /** Subword tokens as the loop's units. */
    private final class Tokens implements DecodeLoop.Units {
        private final OlmoSequence seq;

        Tokens(OlmoSequence seq) {
            this.seq = seq;
        }

        @Override
        public float[] feed(int unit) {
            return seq.step(unit);
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
}
