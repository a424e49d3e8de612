package io.bolmo.train.teacher;

import io.bolmo.train.data.DataCursor;

/**
 * B windows of T + 1 subword ids (inputs are ids 0..T-1, targets ids 1..T), right-padded at the end of a finite
 * pass.
 *
 * @param tokens  [B][T + 1] ids; padding is the PAD id
 * @param trained [B][T + 1] 1 where the id is a target to learn (never padding), 0 where it is context only
 * @param lengths real ids per row (T + 1 for a full row, 0 for a padding row)
 * @param next    where the batch after this one starts
 */
public record TokenBatch(int[][] tokens, int[][] trained, int[] lengths, DataCursor next) {

    /** Rows holding at least one target. */
    public int rows() {
        int n = 0;
        for (int l : lengths) {
            n += l > 1 ? 1 : 0;
        }
        return n;
    }
}
