package io.bolmo.train.data;

import io.bolmo.config.BolmoConfig;
import java.util.Arrays;

/**
 * One training window being filled (model.md §6.1 Data, golden-losses data set C): starts with the BOS patch ↔ subword
 * EOS, takes whole patches of {@link ByteExample}s while they fit in L bytes and P patches, and leaves the rest
 * right-padded (bytes 0, zero-length patches, teacher PAD).
 */
final class Window {

    final int[] bytes;
    final int[] lens;
    final int[] teacher;
    /** Per byte: 1 = trained (see {@link ByteExample#lossMask}); BOS and padding 0. */
    final int[] lossMask;
    boolean masked;
    int nBytes;
    int nPatches;

    Window(int seqLen, int maxPatches, int subwordEos, int subwordPad) {
        bytes = new int[seqLen];
        lens = new int[maxPatches];
        teacher = new int[maxPatches];
        lossMask = new int[seqLen];
        Arrays.fill(teacher, subwordPad);
        bytes[0] = BolmoConfig.BOS_ID;
        lens[0] = 1;
        teacher[0] = subwordEos;
        nBytes = 1;
        nPatches = 1;
    }

    /** Whether only the BOS patch is in. */
    boolean isEmpty() {
        return nPatches == 1;
    }

    /** Bytes of patches [from, to) of {@code ex}. */
    static int span(ByteExample ex, int from, int to) {
        int s = 0;
        for (int k = from; k < to; k++) {
            s += ex.patchLens()[k];
        }
        return s;
    }

    boolean fits(ByteExample ex, int from, int to) {
        return nPatches + (to - from) <= lens.length && nBytes + span(ex, from, to) <= bytes.length;
    }

    /** Appends patches [from, to) of {@code ex}; the caller checked {@link #fits}. */
    void add(ByteExample ex, int from, int to) {
        int start = span(ex, 0, from);
        int n = span(ex, from, to);
        System.arraycopy(ex.byteIds(), start, bytes, nBytes, n);
        if (ex.lossMask() != null) {
            System.arraycopy(ex.lossMask(), start, lossMask, nBytes, n);
            masked = true;
        } else {
            Arrays.fill(lossMask, nBytes, nBytes + n, 1);
        }
        nBytes += n;
        for (int k = from; k < to; k++) {
            lens[nPatches] = ex.patchLens()[k];
            teacher[nPatches++] = ex.teacherIds()[k];
        }
    }
}
