package io.bolmo.eval;

import io.bolmo.train.loss.BoundaryCounts;

/**
 * What {@link HeldOutEvaluation} adds up over some documents, in a form whose parts add up exactly: integers and
 * {@link ExactSum}s. Disjoint sets of documents (evaluation partitions) sum to the totals of their union, in any
 * order, so a distributed evaluation equals a single pass bit for bit.
 *
 * @param documents   documents scored
 * @param windows     evaluation windows ({@link Chunks})
 * @param bytes       scored bytes (UTF-8, BOS/EOS not counted)
 * @param tokens      the teacher's subword tokens of those bytes
 * @param bolmoNats   −Σ ln P(byte), flag marginalised
 * @param teacherNats −Σ ln P(token); null without a teacher
 * @param boundaries  predictor vs β* ({@link BoundaryTally})
 */
public record HeldOutSums(int documents, int windows, long bytes, long tokens, ExactSum bolmoNats,
        ExactSum teacherNats, BoundaryCounts boundaries) {

    private static final double LN2 = Math.log(2);

    /** Nothing scored yet; {@code teacher}: whether a teacher is scored too. */
    public static HeldOutSums empty(boolean teacher) {
        return new HeldOutSums(0, 0, 0, 0, ExactSum.ZERO, teacher ? ExactSum.ZERO : null, BoundaryCounts.ZERO);
    }

    public boolean hasTeacher() {
        return teacherNats != null;
    }

    public HeldOutSums plus(HeldOutSums o) {
        if (hasTeacher() != o.hasTeacher()) {
            throw new IllegalArgumentException("cannot add held-out sums with and without a teacher");
        }
        return new HeldOutSums(documents + o.documents, windows + o.windows, bytes + o.bytes, tokens + o.tokens,
                bolmoNats.plus(o.bolmoNats), hasTeacher() ? teacherNats.plus(o.teacherNats) : null,
                boundaries.plus(o.boundaries));
    }

    /** These Bolmo sums with the teacher's from {@code o}, a pass over the same documents and windows. */
    public HeldOutSums withTeacherOf(HeldOutSums o) {
        if (o.bytes != bytes || o.tokens != tokens || o.windows != windows) {
            throw new IllegalArgumentException("the teacher's sums cover other windows (" + o.windows + " windows, "
                    + o.bytes + " bytes) than these (" + windows + ", " + bytes + ")");
        }
        return new HeldOutSums(documents, windows, bytes, tokens, bolmoNats, o.teacherNats, boundaries);
    }

    /** Bits per byte and boundary metrics; fails when no byte was scored. */
    public HeldOutResult result() {
        if (bytes == 0) {
            throw new IllegalArgumentException("no held-out bytes to evaluate (" + documents + " documents)");
        }
        return new HeldOutResult(documents, windows, bytes, tokens, bolmoNats.doubleValue() / LN2,
                hasTeacher() ? teacherNats.doubleValue() / LN2 : Double.NaN, boundaries.metrics(),
                Math.toIntExact(boundaries.positions()));
    }
}
