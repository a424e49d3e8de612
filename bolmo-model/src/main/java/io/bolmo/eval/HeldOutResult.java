package io.bolmo.eval;

import io.bolmo.train.loss.BoundaryMetrics;

/**
 * Held-out likelihood and boundary quality (model.md §5.5, §4.3).
 *
 * @param documents      held-out documents evaluated
 * @param windows        evaluation windows ({@link Chunks})
 * @param bytes          scored bytes: every UTF-8 byte of every document (BOS, EOS not counted); the divisor of both
 *                       bits-per-byte figures
 * @param tokens         the teacher's subword tokens of those bytes
 * @param bolmoBits      −Σ log₂ P(byte), flag marginalised
 * @param teacherBits    −Σ log₂ P(token); NaN without a teacher
 * @param boundaries     predictor vs β* ({@link BoundaryTally})
 * @param boundaryBytes  bytes the boundary metrics count
 */
public record HeldOutResult(int documents, int windows, long bytes, long tokens, double bolmoBits,
        double teacherBits, BoundaryMetrics boundaries, int boundaryBytes) {

    public double bolmoBitsPerByte() {
        return bolmoBits / bytes;
    }

    public double teacherBitsPerByte() {
        return teacherBits / bytes;
    }

    /** Mean bytes per predicted patch: 1 / predicted boundary rate. */
    public double bolmoBytesPerPatch() {
        return boundaries.predictedMean() == 0 ? Double.POSITIVE_INFINITY : 1 / boundaries.predictedMean();
    }

    /** The teacher's patches are its tokens. */
    public double bytesPerToken() {
        return (double) bytes / tokens;
    }
}
