package io.bolmo.train.loss;

import static io.bolmo.config.BolmoConfig.EOS_ID;
import static io.bolmo.config.BolmoConfig.PAD_ID;
import static io.bolmo.config.BolmoConfig.PLAIN_VOCAB;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Byte-level training labels (model.md §4.3 boundary targets, 5.5 fused labels): patch ids, boundary targets β*, the
 * plain next-byte labels with their mask, and the fused labels for Stage 1 (teacher forcing) and Stage 2
 * (predicted boundaries). Integer arrays are int32 [B, L]; {@link #boundaryTargets} is float32 [B, L].
 *
 * @param patchIds        index of the patch containing each byte; bytes past Σ patch_lens get P ({@code lengths_to_ids})
 * @param plainLabels     y_t = x_{t+1}, or −100 where x_{t+1} is padding and in the last column
 * @param byteMask        m_t = [plainLabels_t ≠ −100] (0/1)
 * @param boundaryTargets β* (0/1): patch ends, none before EOS, β*_0 = 1
 * @param nBytes          N_bytes = Σ m (the byte-loss divisor for a single micro-batch)
 * @param nPatches        N_patches = #(patch_lens[:, 1:] ≠ 0) (subword tokens; the encoder-loss divisor)
 */
public record ByteLabels(
        NDArray patchIds, NDArray plainLabels, NDArray byteMask, NDArray boundaryTargets, int nBytes, int nPatches) {

    public static final int IGNORE_INDEX = -100;
    /** ℓ_t &gt; log 0.5 ⇔ p_t &gt; 0.5 ({@code boundary_threshold = "sample:0"}, model.md §4.2). */
    public static final double LOG_HALF = Math.log(0.5);

    /**
     * @param inputIds  byte ids [B, L] (BOS first, EOS = 1 inside, 0 = right padding)
     * @param patchLens teacher-token patch lengths [B, P] (patch 0 = BOS, zero-length patches allowed at the end)
     */
    public static ByteLabels of(NDArray inputIds, NDArray patchLens) {
        NDManager m = inputIds.getManager();
        int[][] x = HostInts.rows(inputIds);
        int[][] lens = HostInts.rows(patchLens);
        int seqLen = x[0].length;
        int[][] plain = plainLabels(x);
        int[][] mask = byteMask(plain);
        return new ByteLabels(
                HostInts.create(m, patchIds(lens, seqLen)),
                HostInts.create(m, plain),
                HostInts.create(m, mask),
                HostInts.createFloat(m, boundaryTargets(x, lens)),
                HostInts.count(mask),
                countPatches(lens));
    }

    /** Patch index of each byte: #{k : cumsum(patch_lens)_k ≤ j}, which gives P past the last patch. */
    static int[][] patchIds(int[][] lens, int seqLen) {
        int[][] ids = new int[lens.length][seqLen];
        for (int b = 0; b < lens.length; b++) {
            int end = 0;
            int k = 0;
            for (int j = 0; j < seqLen; j++) {
                while (k < lens[b].length && end + lens[b][k] <= j) {
                    end += lens[b][k];
                    k++;
                }
                ids[b][j] = k;
            }
        }
        return ids;
    }

    static int[][] plainLabels(int[][] x) {
        int[][] y = new int[x.length][];
        for (int b = 0; b < x.length; b++) {
            int n = x[b].length;
            y[b] = new int[n];
            for (int t = 0; t < n; t++) {
                boolean real = t + 1 < n && x[b][t + 1] != PAD_ID;
                y[b][t] = real ? x[b][t + 1] : IGNORE_INDEX;
            }
        }
        return y;
    }

    static int[][] byteMask(int[][] labels) {
        int[][] m = new int[labels.length][];
        for (int b = 0; b < labels.length; b++) {
            m[b] = new int[labels[b].length];
            for (int t = 0; t < labels[b].length; t++) {
                m[b][t] = labels[b][t] != IGNORE_INDEX ? 1 : 0;
            }
        }
        return m;
    }

    /**
     * β*: scatter 1 at e_k = cumsum(patch_lens)_k − 1 (out-of-range ends go to 0, zero-length patches repeat the
     * previous end); clear t where x_{t+1} = EOS so the last token merges with EOS (skip_boundary_before_eos);
     * β*_0 = 1 because BOS is always its own patch.
     */
    static int[][] boundaryTargets(int[][] x, int[][] lens) {
        int[][] z = new int[x.length][];
        for (int b = 0; b < x.length; b++) {
            int n = x[b].length;
            z[b] = new int[n];
            int end = 0;
            for (int len : lens[b]) {
                end += len;
                int e = end - 1;
                z[b][e >= 0 && e < n ? e : 0] = 1;
            }
            for (int t = 0; t < n - 1; t++) {
                if (x[b][t + 1] == EOS_ID) {
                    z[b][t] = 0;
                }
            }
            z[b][0] = 1;
        }
        return z;
    }

    static int countPatches(int[][] lens) {
        int c = 0;
        for (int[] row : lens) {
            for (int k = 1; k < row.length; k++) {
                c += row[k] != 0 ? 1 : 0;
            }
        }
        return c;
    }

    /** Stage 1 pooling boundaries: teacher forcing, β = [β* &gt; 0.5] (int32 0/1). */
    public NDArray teacherForcedMask() {
        return boundaryTargets.gt(0.5f).toType(DataType.INT32, false);
    }

    /** Stage 2 pooling boundaries: the predictor's hard decisions β_t = [ℓ_t &gt; log 0.5] on log-probs [B, L]. */
    public static NDArray predictedMask(NDArray boundaryLogprobs) {
        return boundaryLogprobs.gt(LOG_HALF).toType(DataType.INT32, false);
    }

    /** Stage 1 fused labels (teacher-forced boundaries). */
    public NDArray stage1Labels() {
        return fusedLabels(teacherForcedMask());
    }

    /** Stage 2 fused labels (the predictor's boundaries on {@code boundaryLogprobs} [B, L]). */
    public NDArray stage2Labels(NDArray boundaryLogprobs) {
        return fusedLabels(predictedMask(boundaryLogprobs));
    }

    /**
     * Fused labels y_t = x_{t+1} + 260·[β_{t+1} ∧ m_{t+1}] (int32 [B, L], −100 stays −100).
     *
     * <p>reference: the flag needs m_{t+1}, so the label of the last valid byte of a row never carries +260;
     * plain reading (model.md §5.5): y_t = x_{t+1} + 260·β_{t+1}.
     */
    public NDArray fusedLabels(NDArray boundaryMask) {
        int[][] beta = HostInts.rows(boundaryMask);
        int[][] plain = HostInts.rows(plainLabels);
        int[][] mask = HostInts.rows(byteMask);
        int[][] y = new int[plain.length][];
        for (int b = 0; b < plain.length; b++) {
            int n = plain[b].length;
            y[b] = plain[b].clone();
            for (int t = 0; t < n - 1; t++) {
                if (mask[b][t] == 1 && mask[b][t + 1] == 1 && beta[b][t + 1] != 0) {
                    y[b][t] += PLAIN_VOCAB;
                }
            }
        }
        return HostInts.create(plainLabels.getManager(), y);
    }
}
