package io.bolmo.generate;

import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Prompts;
import io.bolmo.tokenize.SubwordSuffixTrie;
import java.util.Arrays;

/**
 * Bolmo's units: fused byte ids (plain id + 260 when the byte ends a patch), fed with their retained-subword rows
 * (model.md §2.2) from this generation's own trie cursor, so that engines get rows and never see the vocabulary. The
 * prompt's last byte is rolled back by the prefill and decided first among {x_last, x_last + 260} (model.md §4.4).
 * With a constraint ({@link GenerationOptions#constraint()}) only the ids it allows are candidates; with a
 * repetition penalty ({@link RepetitionPenalty}) the logits are penalised before the candidates are chosen from.
 */
final class ByteUnits implements Units {

    /** Symbols the model may emit: EOS and the 256 bytes, each with or without the boundary flag. */
    private static final int[] EMITTABLE = emittable();
    private static final int[] NO_BYTES = {};

    private final SubwordSuffixTrie trie;
    private final SubwordSuffixTrie.Cursor cursor;
    private final double boundaryBias;
    private final ConstrainedBytes constraint; // null: unconstrained
    private final RepetitionPenalty repetition; // null: off

    /**
     * @param trie the retained-subword trie; null for a model without retained subword embeddings (rows 0)
     * @param options the generation's options: boundary bias, constraint (a bad constraint fails here, before the
     *     prefill)
     */
    ByteUnits(SubwordSuffixTrie trie, GenerationOptions options) {
        this.trie = trie;
        this.cursor = trie == null ? null : trie.cursor();
        this.boundaryBias = options.boundaryBias();
        this.constraint = options.constraint() == null ? null : new ConstrainedBytes(options);
        this.repetition = options.repetitionPenalty() == 0 ? null
                : new RepetitionPenalty(options.repetitionPenalty(), options.repetitionMinBytes());
    }

    /**
     * Rows of every prompt id. The cursor takes all but the rolled-back last id, which is fed again as the first
     * step; the last id's row (the prefill's lookahead) is looked up without moving the cursor.
     */
    @Override
    public int[] prefillRows(int[] prompt) {
        Prompts.checkBytes(prompt);
        int kept = prompt.length == 1 ? 1 : prompt.length - 1;
        int[] rows = new int[prompt.length];
        if (cursor == null) {
            return rows;
        }
        for (int i = 0; i < kept; i++) {
            rows[i] = SubwordSuffixTrie.embeddingRow(cursor.push(prompt[i]));
        }
        if (kept < prompt.length) {
            rows[kept] = SubwordSuffixTrie.embeddingRow(trie.expandAt(prompt, kept));
        }
        return rows;
    }

    @Override
    public int[] forcedChoice(int[] prompt) {
        if (prompt.length == 1) {
            return null;
        }
        int last = prompt[prompt.length - 1];
        return new int[] {last, last + BolmoConfig.PLAIN_VOCAB};
    }

    @Override
    public int row(int unit) {
        return cursor == null ? 0 : SubwordSuffixTrie.embeddingRow(cursor.push(unit));
    }

    @Override
    public int promptUnits(int[] prompt) {
        return prompt.length - 1; // BOS is not text
    }

    @Override
    public int choose(float[] logits, Sampler sampler) {
        if (repetition != null) {
            repetition.apply(logits);
        }
        if (boundaryBias != 0) { // model.md §4.5 gen_boundary_bias: shifts every "ends a patch" logit
            for (int i = BolmoConfig.PLAIN_VOCAB; i < BolmoConfig.FUSED_VOCAB; i++) {
                logits[i] += (float) boundaryBias;
            }
        }
        int next;
        if (constraint == null) {
            next = sampler.sample(logits, EMITTABLE);
        } else {
            next = sampler.sample(logits, constraint.candidates());
            constraint.chosen(next);
        }
        if (repetition != null && plain(next) >= BolmoConfig.BYTE_OFFSET) {
            repetition.accept(plain(next) - BolmoConfig.BYTE_OFFSET);
        }
        return next;
    }

    @Override
    public boolean boundary(int unit) {
        return endsPatch(unit);
    }

    /** σ(z[b + 260] − z[b]): the fused head's P(ends a patch | byte b) for the chosen unit's byte. */
    @Override
    public float boundaryProbability(float[] logits, int unit) {
        int plain = plain(unit);
        return (float) (1 / (1 + Math.exp((double) logits[plain] - logits[plain + BolmoConfig.PLAIN_VOCAB])));
    }

    /**
     * The prompt's bytes (BOS excluded): the predictor's β and exp(ℓ) for the ids the prefill kept, the forced
     * decision on the rolled-back last byte with σ(z[b + 260] − z[b]) of {@code forcedLogits}.
     */
    @Override
    public ByteBoundaries promptBoundaries(int[] prompt, boolean[] beta, float[] logProbs, float[] forcedLogits,
            int forced) {
        int n = prompt.length - 1;
        int[] bytes = new int[n];
        boolean[] ends = new boolean[n];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            int t = i + 1; // position in the prompt ids, BOS at 0
            bytes[i] = prompt[t] - BolmoConfig.BYTE_OFFSET;
            if (t < beta.length) {
                ends[i] = beta[t];
                p[i] = (float) Math.exp(logProbs[t]);
            } else if (forced >= 0) {
                ends[i] = endsPatch(forced);
                p[i] = boundaryProbability(forcedLogits, forced);
            }
        }
        return new ByteBoundaries(bytes, ends, p);
    }

    @Override
    public boolean complete() {
        return constraint != null && constraint.complete();
    }

    @Override
    public boolean isEos(int unit) {
        return plain(unit) == BolmoConfig.EOS_ID;
    }

    @Override
    public int[] bytes(int unit) {
        int plain = plain(unit);
        return plain >= BolmoConfig.BYTE_OFFSET ? new int[] {plain - BolmoConfig.BYTE_OFFSET} : NO_BYTES;
    }

    /** The fused id's byte: whether it ends a patch is the engine's business. */
    static int plain(int unit) {
        return unit >= BolmoConfig.PLAIN_VOCAB ? unit - BolmoConfig.PLAIN_VOCAB : unit;
    }

    /** Whether feeding {@code unit} ends a patch (and so runs the global model). */
    static boolean endsPatch(int unit) {
        return unit >= BolmoConfig.PLAIN_VOCAB;
    }

    private static int[] emittable() {
        int[] ids = new int[2 * (1 + 256)];
        int n = 0;
        for (int flag = 0; flag < 2; flag++) {
            int offset = flag * BolmoConfig.PLAIN_VOCAB;
            ids[n++] = BolmoConfig.EOS_ID + offset;
            for (int b = 0; b < 256; b++) {
                ids[n++] = BolmoConfig.BYTE_OFFSET + b + offset;
            }
        }
        return Arrays.copyOf(ids, n);
    }
}
