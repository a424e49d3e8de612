package io.bolmo.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * π, the alignment of student patches to teacher positions used by L_enc (model.md §6.5): student patch j ends at its
 * j-th boundary s_j and is matched to the teacher position a_j = patch_ids[s_j] of the subword token containing that
 * byte. With skip_boundary_before_eos the last token and EOS form one student patch, which ends in the EOS byte and
 * so aligns with the teacher's EOS position. All arrays are int32 [B, P_s].
 *
 * @param seqSortedIndices s_j, boundary positions in order; unused slots hold 1 (as in the golden files; masked)
 * @param patchMask        [j &lt; #boundaries of the row] (0/1)
 * @param alignedIndex     a_j where valid, 0 elsewhere
 * @param valid            patchMask ∧ a_j &lt; T (0/1)
 */
public record PatchAlignment(NDArray seqSortedIndices, NDArray patchMask, NDArray alignedIndex, NDArray valid) {

    private static final int UNUSED_SLOT = 1;

    /**
     * @param boundaryMask        boundaries used for pooling [B, L] (0/1)
     * @param patchIds            true (teacher-token) patch id of each byte [B, L]
     * @param numStudentPatches   P_s, the patch axis of the student hidden states
     * @param numTeacherPositions T, the position axis of the teacher hidden states
     */
    public static PatchAlignment of(NDArray boundaryMask, NDArray patchIds, int numStudentPatches,
            int numTeacherPositions) {
        int[][] beta = HostInts.rows(boundaryMask);
        int[][] ids = HostInts.rows(patchIds);
        int rows = beta.length;
        int[][] sorted = new int[rows][numStudentPatches];
        int[][] mask = new int[rows][numStudentPatches];
        int[][] aligned = new int[rows][numStudentPatches];
        int[][] valid = new int[rows][numStudentPatches];
        for (int b = 0; b < rows; b++) {
            java.util.Arrays.fill(sorted[b], UNUSED_SLOT);
            int j = 0;
            for (int t = 0; t < beta[b].length && j < numStudentPatches; t++) {
                if (beta[b][t] != 0) {
                    sorted[b][j] = t;
                    mask[b][j] = 1;
                    int a = ids[b][t];
                    valid[b][j] = a < numTeacherPositions ? 1 : 0;
                    aligned[b][j] = valid[b][j] == 1 ? a : 0;
                    j++;
                }
            }
        }
        NDManager m = boundaryMask.getManager();
        return new PatchAlignment(HostInts.create(m, sorted), HostInts.create(m, mask), HostInts.create(m, aligned),
                HostInts.create(m, valid));
    }
}
