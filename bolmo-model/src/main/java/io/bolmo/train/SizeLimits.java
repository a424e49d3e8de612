package io.bolmo.train;

/**
 * Upper bounds of the size parameters of every run, checked with the parameters, so that a mistyped size fails at
 * validation with the bound named instead of an {@code OutOfMemoryError} (or an int overflow) minutes later. They
 * are far above any recipe (Bolmo-1B: B 32 × L 24,576 bytes; the teacher recipe: B 16 × T 256 tokens) and below
 * the sizes at which host arrays of one batch overflow.
 */
public final class SizeLimits {

    /** Bytes (byte runs) or tokens (teacher) per window. */
    public static final int MAX_SEQ_LEN = 1 << 20;
    /** Windows per optimizer step. */
    public static final int MAX_BATCH_SIZE = 1 << 16;
    /** Batch size × window length: positions per optimizer step. */
    public static final long MAX_POSITIONS_PER_STEP = 1L << 25;
    /** Layers of any stack (teacher blocks, local encoder, local decoder). */
    public static final int MAX_LAYERS = 256;
    /** Model width, feed-forward width, heads, attention window. */
    public static final int MAX_WIDTH = 1 << 16;

    private SizeLimits() {}

    /** Refuses a batch whose positions per step exceed {@link #MAX_POSITIONS_PER_STEP}. */
    public static void checkPositions(int batchSize, int seqLen) {
        long positions = (long) batchSize * seqLen;
        InvalidParameterException.check(positions <= MAX_POSITIONS_PER_STEP, "batch-size", batchSize,
                "batch-size × seq-len = " + positions + " positions per step; at most " + MAX_POSITIONS_PER_STEP
                        + " are allowed");
    }
}
