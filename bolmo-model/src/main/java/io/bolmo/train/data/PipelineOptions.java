package io.bolmo.train.data;

import java.util.Objects;

/**
 * Window, batch, order and split settings (model.md §6.1 Data: L = 24 576 bytes, P = 4096 patches, 2 windows per
 * micro-batch in the reference).
 *
 * @param seqLen       L, bytes per window (BOS included)
 * @param maxPatches   P, patches per window (BOS patch included) = teacher positions
 * @param batchSize    B, windows per batch
 * @param seed         base seed of the per-epoch shuffle
 * @param shuffle      shuffle files and documents per epoch (false: corpus order, e.g. for evaluation)
 * @param heldOutEvery hold out documents with content hash ≡ 0 mod this (0: none held out)
 * @param split        which side of the held-out split to iterate
 * @param epochs       passes over the split before the iterator ends (0: never ends)
 */
public record PipelineOptions(int seqLen, int maxPatches, int batchSize, long seed, boolean shuffle,
        int heldOutEvery, Split split, int epochs) {

    public PipelineOptions {
        if (seqLen < 3 || maxPatches < 3) {
            throw new IllegalArgumentException("seqLen and maxPatches must be at least 3 (BOS, a token, EOS): "
                    + seqLen + ", " + maxPatches);
        }
        if (batchSize < 1 || heldOutEvery < 0 || epochs < 0) {
            throw new IllegalArgumentException("batchSize ≥ 1, heldOutEvery ≥ 0, epochs ≥ 0 required");
        }
        Objects.requireNonNull(split, "split");
    }

    /** Training defaults: shuffled, 1 in 1000 documents held out, endless. */
    public static PipelineOptions training(int seqLen, int maxPatches, int batchSize, long seed) {
        return new PipelineOptions(seqLen, maxPatches, batchSize, seed, true, 1000, Split.TRAIN, 0);
    }

    /** The held-out side of the same split, once, in corpus order. */
    public PipelineOptions heldOut() {
        return new PipelineOptions(seqLen, maxPatches, batchSize, seed, false, heldOutEvery, Split.HELD_OUT, 1);
    }

    public PipelineOptions withHeldOutEvery(int every) {
        return new PipelineOptions(seqLen, maxPatches, batchSize, seed, shuffle, every, split, epochs);
    }

    public PipelineOptions withEpochs(int n) {
        return new PipelineOptions(seqLen, maxPatches, batchSize, seed, shuffle, heldOutEvery, split, n);
    }

    /** The same options under another seed (a resumed cursor's). */
    public PipelineOptions withSeed(long s) {
        return new PipelineOptions(seqLen, maxPatches, batchSize, s, shuffle, heldOutEvery, split, epochs);
    }

    public PipelineOptions withShuffle(boolean on) {
        return new PipelineOptions(seqLen, maxPatches, batchSize, seed, on, heldOutEvery, split, epochs);
    }
}
