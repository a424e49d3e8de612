package io.bolmo.train.data;

/**
 * Applies a {@link PatchCompression} to training batches (model.md §4.5, Stage 2): for every window row, the merge
 * order of its kind ({@link BpeMerges}, {@link SpaceMerges}) is applied until the row's bytes / patches reaches the
 * ratio of the current step. The bytes stay as they are; the patch lengths, from which {@code ByteLabels} derives the
 * boundary targets β*, follow the merged patches. Stateless apart from its settings: the same batch at the same step
 * always gives the same patches, so a resumed run sees exactly what an uninterrupted one saw.
 */
public final class PatchCompressor {

    private final PatchCompression compression;
    private final int eos;
    private final int pad;
    private final long seed;

    /**
     * @param subwordEos the subword EOS id (BOS and document-EOS patches, never merged)
     * @param subwordPad the subword PAD id (ids of zero-length patches)
     * @param seed       the run's seed, mixed into every row's tie-breaks and shuffles
     */
    public PatchCompressor(PatchCompression compression, int subwordEos, int subwordPad, long seed) {
        this.compression = compression;
        this.eos = subwordEos;
        this.pad = subwordPad;
        this.seed = seed;
    }

    public PatchCompression compression() {
        return compression;
    }

    /** {@code batch} with its patches merged to the ratio of optimizer step {@code step} + 1 (step = steps taken). */
    public TrainingBatch apply(TrainingBatch batch, long step) {
        if (!compression.enabled()) {
            return batch;
        }
        int rows = batch.batchSize();
        int[][] lens = new int[rows][];
        int[][] ids = new int[rows][];
        long tokens = 0;
        for (int r = 0; r < rows; r++) {
            PatchRow row = new PatchRow(batch.inputIds()[r], batch.patchLens()[r], batch.teacherIds()[r], eos, pad);
            double ratio = compression.ratioAt(step, row.ratio());
            MergeOrder.Merged m = ratio <= row.ratio() ? new MergeOrder.Merged(row.lens(), row.ids(), row.patches())
                    : order(row).apply(row, ratio);
            lens[r] = m.lens();
            ids[r] = m.ids();
            tokens += Math.max(0, m.patches() - 1);
        }
        return batch.withPatches(lens, ids, tokens);
    }

    /** The merge order of one row under this compression's kind. */
    MergeOrder order(PatchRow row) {
        return switch (compression.kind()) {
            case BPE -> BpeMerges.order(row, seed);
            case SPACE -> SpaceMerges.order(row, seed);
            case NONE -> new MergeOrder(new int[0]);
        };
    }
}
