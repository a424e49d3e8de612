package io.bolmo.train.loss;

import ai.djl.ndarray.NDArray;

/**
 * Restricts the Stage 2 objective to chosen bytes (chat fine-tuning: the assistant turns). A position t counts iff
 * it has a label ({@link ByteLabels#byteMask}) and the byte it predicts, x_{t+1}, is trained; CE, the boundary BCE
 * and bits per byte then run over exactly those positions, with the fused labels (boundary flags included) computed
 * on the whole sequence first, so a trained span's last label keeps its flag.
 *
 * <p>Normalisation (no reference exists for a masked objective): Σ over the counted positions / their count, the
 * plain per-byte mean (model.md §7), for CE and BCE alike.
 *
 * @param positions int32 0/1 [B, L]: the positions that count
 * @param count     their number
 */
public record LossMask(NDArray positions, int count) {

    /**
     * @param labels  the batch's labels
     * @param trained [B, L] per byte (not per position): 1 where the byte is one to learn
     */
    public static LossMask of(ByteLabels labels, int[][] trained) {
        int[][] m = HostInts.rows(labels.byteMask());
        for (int b = 0; b < m.length; b++) {
            int n = m[b].length;
            for (int t = 0; t < n; t++) {
                m[b][t] = m[b][t] != 0 && t + 1 < n && trained[b][t + 1] != 0 ? 1 : 0;
            }
        }
        return new LossMask(HostInts.create(labels.byteMask().getManager(), m), HostInts.count(m));
    }

    /** {@code labels} [B, L] with every position that does not count set to −100 (ignored). */
    public NDArray apply(NDArray labels) {
        int[][] y = HostInts.rows(labels);
        int[][] m = HostInts.rows(positions);
        for (int b = 0; b < y.length; b++) {
            for (int t = 0; t < y[b].length; t++) {
                if (m[b][t] == 0) {
                    y[b][t] = ByteLabels.IGNORE_INDEX;
                }
            }
        }
        return HostInts.create(labels.getManager(), y);
    }
}
