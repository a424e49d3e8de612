package io.bolmo.train.data;

import io.bolmo.config.BolmoConfig;
import java.util.Arrays;

/**
 * One window row of a {@link TrainingBatch} seen as its patches: patch 0 is the BOS, then one patch per subword
 * token (a document's EOS has its own length-1 patch with the subword EOS id), then zero-length padding. The
 * boundary "after patch k" separates patch k from patch k + 1; only boundaries between two subword tokens of one
 * document may be removed (the BOS stays its own patch and a document never merges into the next through its EOS).
 */
final class PatchRow {

    private final int[] bytes;
    private final int[] lens;
    private final int[] ids;
    private final int[] starts;
    private final int n;
    private final long totalBytes;
    private final int eos;
    private final int pad;

    /**
     * @param bytes byte ids [L] of the row
     * @param lens  patch lengths [P]
     * @param ids   subword id of each patch [P]
     * @param eos   the subword EOS id (BOS and document-EOS patches)
     * @param pad   the subword PAD id (the ids of zero-length patches)
     */
    PatchRow(int[] bytes, int[] lens, int[] ids, int eos, int pad) {
        this.bytes = bytes;
        this.lens = lens;
        this.ids = ids;
        this.eos = eos;
        this.pad = pad;
        int count = 0;
        while (count < lens.length && lens[count] > 0) {
            count++;
        }
        this.n = count;
        this.starts = new int[count];
        long total = 0;
        for (int k = 0; k < count; k++) {
            starts[k] = (int) total;
            total += lens[k];
        }
        this.totalBytes = total;
    }

    /** Real (non-empty) patches, the BOS patch included. */
    int patches() {
        return n;
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Bytes per patch as the patch lengths stand (0 for an empty row). */
    double ratio() {
        return n == 0 ? 0 : (double) totalBytes / n;
    }

    /** Subword id of patch k. */
    int id(int k) {
        return ids[k];
    }

    /** Whether the boundary after patch k may be removed: patches k and k + 1 are subword tokens, neither an EOS. */
    boolean mergeable(int k) {
        return k >= 1 && k + 1 < n && ids[k] != eos && ids[k + 1] != eos;
    }

    /** The first byte (0..255, or a special id below 4 shifted negative) of patch k. */
    int firstByte(int k) {
        return bytes[starts[k]] - BolmoConfig.BYTE_OFFSET;
    }

    /** A seed for this row's random choices: {@code base} mixed with the row's content (stable across resumes). */
    long seed(long base) {
        long h = base * 0x9E3779B97F4A7C15L;
        h ^= Arrays.hashCode(bytes) * 0xC2B2AE3D27D4EB4FL;
        h ^= Arrays.hashCode(lens) + 0x165667B19E3779F9L;
        return h ^ (h >>> 31);
    }

    /** The subword PAD id of zero-length patches. */
    int pad() {
        return pad;
    }

    /** The row's patch lengths [P]. */
    int[] lens() {
        return lens;
    }

    /** The row's subword ids [P]. */
    int[] ids() {
        return ids;
    }
}
