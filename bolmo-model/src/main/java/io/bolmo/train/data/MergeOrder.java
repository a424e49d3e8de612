package io.bolmo.train.data;

import java.util.Arrays;

/**
 * An ordered list of subword-patch boundaries of one window row to remove (model.md §4.5: "merges are applied in order
 * until bytes/patches ≥ the current ratio"): entry i is the patch k whose boundary with patch k + 1 the i-th merge
 * removes (indices of the unmerged row, so they stay valid whatever was merged before). {@link BpeMerges} and
 * {@link SpaceMerges} make the order; {@link #apply} is the one way it is used.
 *
 * @param boundaries removal order; each a mergeable boundary of the row, none twice
 */
public record MergeOrder(int[] boundaries) {

    /** The merged patch lengths and ids of a row. */
    public record Merged(int[] lens, int[] ids, int patches) {}

    public MergeOrder {
        boundaries = boundaries.clone();
    }

    /** How many merges of this order a row of {@code bytes} bytes in {@code patches} patches needs for {@code ratio}. */
    public int mergesFor(long bytes, int patches, double ratio) {
        if (patches == 0 || ratio <= 0) {
            return 0;
        }
        // bytes / (patches − r) ≥ ratio ⇔ r ≥ patches − bytes / ratio
        double need = Math.ceil(patches - bytes / ratio - 1e-9);
        return (int) Math.max(0, Math.min(boundaries.length, need));
    }

    /**
     * Applies the first merges of this order until bytes / patches ≥ {@code ratio} (or the order is used up): the
     * lengths of the merged patches, left-aligned and zero-padded to the row's width, with the subword id of each
     * merged patch's last token.
     */
    Merged apply(PatchRow row, double ratio) {
        int r = mergesFor(row.totalBytes(), row.patches(), ratio);
        int[] lens = row.lens();
        int[] ids = row.ids();
        if (r == 0) {
            return new Merged(lens, ids, row.patches());
        }
        boolean[] removed = new boolean[lens.length];
        for (int i = 0; i < r; i++) {
            removed[boundaries[i]] = true;
        }
        int[] outLens = new int[lens.length];
        int[] outIds = ids.clone();
        int out = 0;
        int acc = 0;
        for (int k = 0; k < row.patches(); k++) {
            acc += lens[k];
            if (!removed[k]) {
                outLens[out] = acc;
                outIds[out++] = ids[k];
                acc = 0;
            }
        }
        Arrays.fill(outIds, out, outIds.length, row.pad());
        return new Merged(outLens, outIds, out);
    }

    public int size() {
        return boundaries.length;
    }
}
