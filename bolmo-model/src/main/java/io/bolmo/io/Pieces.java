package io.bolmo.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the flattened elements of a tensor into pieces of at most a given byte size.
 *
 * <p>Java buffers (and DJL's array factories) are int-indexed, and BF16 is converted on the Java side through a
 * bounded buffer; so the reader and the writer both move tensors piece by piece, cut here.
 */
final class Pieces {

    /** Default piece: large enough that per-piece JNI overhead vanishes, small enough for direct-memory limits. */
    static final long PIECE_BYTES = 64L << 20;

    private Pieces() {}

    /** Element ranges {@code [start, end)} covering {@code elements}; one (possibly empty) range at least. */
    static List<long[]> of(long elements, int elementBytes, long maxBytes) {
        long perPiece = Math.max(1, maxBytes / elementBytes);
        List<long[]> pieces = new ArrayList<>();
        long start = 0;
        do {
            long end = Math.min(elements, start + perPiece);
            pieces.add(new long[] {start, end});
            start = end;
        } while (start < elements);
        return pieces;
    }
}
