package io.bolmo.train;

/**
 * One batch of byte windows on the host (spec 6.1 Data; golden-losses data sets): byte ids {@code [B, L]} (BOS
 * first, 0 = right padding), subword-token patch lengths {@code [B, P]} (patch 0 = BOS, trailing zeros) and the
 * teacher's input ids {@code [B, P]} (subword EOS first, so teacher position k ↔ patch k).
 */
public record TrainingBatch(int[][] inputIds, int[][] patchLens, int[][] teacherIds) {

    public TrainingBatch {
        if (inputIds.length == 0 || inputIds.length != patchLens.length || inputIds.length != teacherIds.length) {
            throw new IllegalArgumentException("a batch needs the same number (> 0) of rows in inputIds, patchLens "
                    + "and teacherIds; got " + inputIds.length + ", " + patchLens.length + ", " + teacherIds.length);
        }
    }

    public int rows() {
        return inputIds.length;
    }

    /** Non-padding bytes. */
    public long realBytes() {
        long n = 0;
        for (int[] row : inputIds) {
            for (int id : row) {
                n += id != 0 ? 1 : 0;
            }
        }
        return n;
    }
}
