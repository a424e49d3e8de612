package io.bolmo.train;

import java.util.Locale;

/**
 * Held-out evaluation of a fine-tune (one pass over the held-out split): the Stage 2 objective's terms as per-byte
 * means over the positions that count (every byte of plain text; the assistant bytes of chats), L = CE + w·BCE with
 * the run's boundary weight, and bits per byte with the boundary flag marginalised.
 *
 * @param step         optimizer step the model had
 * @param bytes        positions scored
 * @param loss         CE + w·BCE per byte
 * @param crossEntropy fused CE per byte (nats)
 * @param boundary     boundary BCE per byte (nats)
 * @param bitsPerByte  −Σ log₂ P(byte) / bytes
 */
public record HeldOutMetrics(long step, long bytes, double loss, double crossEntropy, double boundary,
        double bitsPerByte) {

    /** Sums of one batch. */
    public record Batch(long bytes, double ceSum, double boundarySum, double bitsSum) {}

    /** Averages {@code batches} at {@code step}; {@code boundaryWeight} weighs the BCE in {@link #loss}. */
    public static HeldOutMetrics of(long step, Iterable<Batch> batches, double boundaryWeight) {
        long n = 0;
        double ce = 0;
        double bnd = 0;
        double bits = 0;
        for (Batch b : batches) {
            n += b.bytes();
            ce += b.ceSum();
            bnd += b.boundarySum();
            bits += b.bitsSum();
        }
        if (n == 0) {
            throw new IllegalArgumentException("the held-out split has no byte to score");
        }
        return new HeldOutMetrics(step, n, (ce + boundaryWeight * bnd) / n, ce / n, bnd / n, bits / n);
    }

    /** One log fragment. */
    public String format() {
        return String.format(Locale.ROOT, "held-out loss %.4f (ce %.4f bnd %.4f) bpb %.4f over %d bytes", loss,
                crossEntropy, boundary, bitsPerByte, bytes);
    }
}
