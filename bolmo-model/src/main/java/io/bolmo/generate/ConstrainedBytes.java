package io.bolmo.generate;

import io.bolmo.config.BolmoConfig;
import io.bolmo.generate.constraint.ConstraintMatcher;

/**
 * A constraint on Bolmo's fused 520-way head: at each step the candidates are both ids of every byte the
 * {@link ConstraintMatcher} allows (the "ends a patch" flag stays the model's choice) and EOS where the output may
 * end; the chosen id moves the matcher on. The forced decision on the last prompt byte never comes here. Public
 * only so that the cost of this per-step work can be measured on its own ({@code io.bolmo.bench.ConstraintBench}).
 */
public final class ConstrainedBytes {

    private final ConstraintMatcher matcher;
    private final boolean eos;
    private final int[] ids = new int[BolmoConfig.FUSED_VOCAB];

    /** For a generation with {@code options}, whose {@link GenerationOptions#constraint()} is set. */
    public ConstrainedBytes(GenerationOptions options) {
        this.matcher = options.constraint().matcher(options.maxNewBytes(), options.stop());
        this.eos = options.stopAtEos();
    }

    /** The fused ids allowed now, ascending within each flag half. */
    public int[] candidates() {
        long[] mask = matcher.allowedBytes();
        int n = 0;
        for (int flag = 0; flag < 2; flag++) {
            int offset = flag * BolmoConfig.PLAIN_VOCAB;
            if (eos && matcher.mayEnd()) {
                ids[n++] = BolmoConfig.EOS_ID + offset;
            }
            for (int w = 0; w < 4; w++) {
                for (long bits = mask[w]; bits != 0; bits &= bits - 1) {
                    ids[n++] = BolmoConfig.BYTE_OFFSET + 64 * w + Long.numberOfTrailingZeros(bits) + offset;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("the constraint allows nothing at byte " + matcher.generated());
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /** Moves the matcher past the chosen id's byte (EOS ends the generation, nothing to move). */
    public void chosen(int fusedId) {
        int plain = fusedId >= BolmoConfig.PLAIN_VOCAB ? fusedId - BolmoConfig.PLAIN_VOCAB : fusedId;
        if (plain >= BolmoConfig.BYTE_OFFSET) {
            matcher.advance(plain - BolmoConfig.BYTE_OFFSET);
        }
    }

    /** Complete: nothing more may follow. */
    public boolean complete() {
        return matcher.isComplete();
    }
}
