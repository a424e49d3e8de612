package io.bolmo.train.data;

/**
 * Held-out split by content hash (model.md §6.1 Data): a document is held out iff {@code hash mod every == 0}
 * (unsigned), so about 1 in {@code every} documents; {@code every = 0} holds nothing out.
 */
public enum Split {
    TRAIN,
    HELD_OUT;

    /** Whether a document with content hash {@code hash} belongs to this split. */
    public boolean contains(long hash, int every) {
        boolean heldOut = every > 0 && Long.remainderUnsigned(hash, every) == 0;
        return heldOut == (this == HELD_OUT);
    }
}
