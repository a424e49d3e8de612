package io.bolmo.train.data;

/**
 * B packed windows as host int arrays (model.md §6.1, golden-losses data set C layout), ready for
 * {@code ByteLabels.of(inputIds, patchLens)} and the teacher.
 *
 * @param inputIds   byte ids [B, L]: BOS first, documents each closed by EOS = 1, right padding 0
 * @param patchLens  [B, P]: 1 for BOS, then the byte length of each subword token (EOS: 1), then zero-length patches
 * @param teacherIds [B, P]: subword EOS for the BOS patch, then the token of each patch, then the subword PAD id
 * @param realRows   windows holding data (only the last batch of a finite pass has fewer than B; the rest are all
 *                   padding)
 * @param realBytes  non-padding bytes, BOS and EOS included
 * @param realTokens non-zero patches after the BOS patch (= ByteLabels' N_patches)
 * @param next       the cursor to resume right after this batch
 * @param lossMask   [B, L] 1 where the byte is one the model learns to predict (chat fine-tuning: assistant turns),
 *                   or null when every byte is (plain text)
 */
public record TrainingBatch(int[][] inputIds, int[][] patchLens, int[][] teacherIds, int realRows, long realBytes,
        long realTokens, DataCursor next, int[][] lossMask) {

    /** A batch trained on every byte. */
    public TrainingBatch(int[][] inputIds, int[][] patchLens, int[][] teacherIds, int realRows, long realBytes,
            long realTokens, DataCursor next) {
        this(inputIds, patchLens, teacherIds, realRows, realBytes, realTokens, next, null);
    }

    public int batchSize() {
        return inputIds.length;
    }

    public int seqLen() {
        return inputIds[0].length;
    }

    public int maxPatches() {
        return patchLens[0].length;
    }

    /**
     * The same windows with other patches over the same bytes (Stage 2 compression, {@link PatchCompressor}):
     * {@code patchLens} and {@code teacherIds} [B, P] replace the subword ones, {@code realTokens} counts the new
     * non-zero patches after each BOS; the bytes and the loss mask stay.
     */
    public TrainingBatch withPatches(int[][] patchLens, int[][] teacherIds, long realTokens) {
        return new TrainingBatch(inputIds, patchLens, teacherIds, realRows, realBytes, realTokens, next, lossMask);
    }
}
