package io.bolmo.train.data;

/**
 * One document in byte form (model.md §2.1, §4.3, §6.1; golden-losses data set C): {@code byteIds = [BOS] +
 * bytes(tok_0) + … + bytes(tok_{n−1}) + [EOS]}, {@code patchLens = [1, len(tok_0), …, len(tok_{n−1}), 1]} and
 * {@code teacherIds = [subwordEos, tok_0, …, tok_{n−1}, subwordEos]}: patch k ↔ teacher input k, i.e. patch 0 (BOS)
 * ↔ the prepended subword EOS and patch k ≥ 1 ↔ subword token k−1, the document's EOS being the last token.
 *
 * <p>The EOS keeps its own length-1 patch here, exactly as in data set C; the merge with the last token
 * (skip_boundary_before_eos) is done by {@code ByteLabels}, which clears β*_t where x_{t+1} = EOS.
 *
 * <p>{@code lossMask} (null: every byte) marks, per byte of {@code byteIds}, the bytes a fine-tune learns to
 * predict (a chat conversation's assistant turns); an example with a mask is never split across windows.
 */
public record ByteExample(int[] byteIds, int[] patchLens, int[] teacherIds, int[] lossMask) {

    public ByteExample {
        if (patchLens.length != teacherIds.length) {
            throw new IllegalArgumentException("patchLens and teacherIds differ in length: " + patchLens.length
                    + " vs " + teacherIds.length);
        }
        if (lossMask != null && lossMask.length != byteIds.length) {
            throw new IllegalArgumentException("lossMask has " + lossMask.length + " entries for " + byteIds.length
                    + " bytes");
        }
    }

    /** A document trained on every byte. */
    public ByteExample(int[] byteIds, int[] patchLens, int[] teacherIds) {
        this(byteIds, patchLens, teacherIds, null);
    }

    /** The same example with a loss mask. */
    public ByteExample withLossMask(int[] mask) {
        return new ByteExample(byteIds, patchLens, teacherIds, mask);
    }

    /** Number of patches, BOS patch included. */
    public int patches() {
        return patchLens.length;
    }

    /** Subword tokens of the document, its EOS included (patches 1 .. patches−1). */
    public int tokens() {
        return patchLens.length - 1;
    }
}
