package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * Byte-level generation with Bolmo exactly as the reference {@code generate} (spec 8.1; golden README 6): prefill
 * with boundary lookahead, the last prompt byte rolled back and force-decoded, then one byte per step with a
 * global step only after a byte that ends a patch. Stops on EOS (1 or 261), a stop sequence or the byte limit.
 * Thread-safe: every call has its own {@link BolmoSequence}. Many concurrent calls each read all the weights per
 * byte; {@link BolmoScheduler} decodes them together instead.
 */
public final class BolmoGenerator implements Generator {

    /** Symbols the model may emit: EOS and the 256 bytes, each with or without the boundary flag. */
    private static final int[] EMITTABLE = emittable();
    private static final int[] NO_BYTES = {};

    private final BolmoModel model;
    private final SubwordSuffixTrie trie;
    private final NDManager manager;

    public BolmoGenerator(BolmoModel model, SubwordSuffixTrie trie) {
        this.model = model;
        this.trie = trie;
        this.manager = model.weights().manager();
    }

    /** Generates after {@code promptIds} (BOS first, plain byte ids). */
    @Override
    public GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener) {
        try (BolmoGeneration g = new BolmoGeneration(model, trie, manager, promptIds, options, listener)) {
            return g.runAlone();
        }
    }

    /** Fused byte ids as the loop's units; with a constraint, only the ids it allows are candidates. */
    static final class Bytes implements DecodeLoop.Units {
        private final BolmoSequence seq;
        private final double boundaryBias;
        private final ConstrainedBytes constraint; // null: unconstrained

        Bytes(BolmoSequence seq, GenerationOptions options) {
            this.seq = seq;
            this.boundaryBias = options.boundaryBias();
            this.constraint = options.constraint() == null ? null : new ConstrainedBytes(options);
        }

        @Override
        public float[] feed(int unit) {
            return seq.step(unit);
        }

        @Override
        public int choose(float[] logits, Sampler sampler) {
            biasBoundaries(logits, boundaryBias);
            if (constraint == null) {
                return sampler.sample(logits, EMITTABLE);
            }
            int next = sampler.sample(logits, constraint.candidates());
            constraint.chosen(next);
            return next;
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

        private static int plain(int unit) {
            return unit >= BolmoConfig.PLAIN_VOCAB ? unit - BolmoConfig.PLAIN_VOCAB : unit;
        }
    }

    /** spec 4.5 {@code gen_boundary_bias}: shifts every "ends a patch" logit. */
    private static void biasBoundaries(float[] logits, double bias) {
        if (bias != 0) {
            for (int i = BolmoConfig.PLAIN_VOCAB; i < BolmoConfig.FUSED_VOCAB; i++) {
                logits[i] += (float) bias;
            }
        }
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
        return ids;
    }

    public BolmoModel model() {
        return model;
    }
}
