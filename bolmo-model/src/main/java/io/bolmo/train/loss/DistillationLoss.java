package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import static io.bolmo.config.BolmoConfig.BYTE_OFFSET;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * L_distill, the ALM-style binarised KL between the student's and the teacher's probability of each subword token
 * (model.md §6.6; reference {@code _compute_alm_style_loss} with {@code div_fn=kl}).
 *
 * <p>Slot p (0 ≤ p &lt; P−1) is patch p+1 = subword token p. The student's token log-prob ŷ_p sums the fused-label
 * log-probs of the bytes of the patch; the teacher's y_p is its log-prob of that token. Both are treated as Bernoulli
 * probabilities, tempered by τ: a = y/τ − ε, b = ŷ/τ − ε, KL_p = eᵃ(a − b) + (1 − eᵃ)(log1mexp a − log1mexp b).
 *
 * <p>reference: Σ_valid KL_p · L / ((P−1)·N_bytes) (the per-patch mean over B·(P−1) slots, then divided by
 * N_bytes/(B·L)); plain reading: mean of KL_p over valid patches (model.md §6.2).
 *
 * @param temperature {@code binarization_temp} τ (released: 5)
 * @param epsilon     ε keeping a, b &lt; 0 (released: 1e−6)
 * @param debias      add the log-prob that the next unit starts with whitespace to both sides (Stage 1: true)
 */
public record DistillationLoss(float temperature, float epsilon, boolean debias) {

    /** Student whitespace ids: plain (no-boundary) ' ', '\t', '\n' (reference {@code get_bolmo_space_mask}). */
    public static final int[] STUDENT_SPACE_IDS = {BYTE_OFFSET + ' ', BYTE_OFFSET + '\t', BYTE_OFFSET + '\n'};

    /** The Stage 1 launch-script setting: τ = 5, ε = 1e−6, debiasing on. */
    public static final DistillationLoss STAGE1 = new DistillationLoss(5f, 1e-6f, true);

    /**
     * All slot arrays are [B, P−1] float32; {@code ySpaceHat}/{@code ySpaceTrue} are null without debiasing.
     *
     * @param studentMainPath log p_θ(y_t | x_≤t) for t &lt; L−1 [B, L−1]
     * @param teacherMainPath log p_T(token_{p+1} | ·) [B, T−1]
     * @param patchMask       [patch_lens[p+1] ≠ 0] int32 [B, P−1]
     * @param klSum           Σ mask·KL (the plain mean is klSum / Σ patchMask)
     * @param rawMean         Σ mask·KL / (B·(P−1)), the value before {@code _finalize_loss}
     * @param loss            rawMean · B·L / N_bytes, the finalised L_distill
     */
    public record Result(NDArray studentMainPath, NDArray teacherMainPath, NDArray yHatMain, NDArray yTrueMain,
            NDArray ySpaceHat, NDArray ySpaceTrue, NDArray yHat, NDArray yTrue, NDArray klPerPatch,
            NDArray patchMask, NDArray klSum, NDArray rawMean, NDArray loss) {
    }

    /**
     * @param studentLogprobs  log_softmax(student logits) [B, L, V]
     * @param fusedLabels      the fused labels used for CE [B, L]; as in the reference, −100 reads id 0 unmasked
     *                         (such bytes normally lie past the last patch, outside every slot)
     * @param patchIds         true patch id of each byte [B, L] ({@link ByteLabels#patchIds()})
     * @param patchLens        teacher-token patch lengths [B, P]
     * @param teacherLogprobs  log_softmax(teacher logits) [B, T = P, V_T] (treated as constants)
     * @param teacherInputIds  teacher input ids [B, T] (EOS prepended)
     * @param teacherSpaceMask whitespace-initial teacher tokens [V_T] (0/1); unused without debiasing
     * @param nBytes           N_bytes divisor
     */
    public Result compute(NDArray studentLogprobs, NDArray fusedLabels, NDArray patchIds, NDArray patchLens,
            NDArray teacherLogprobs, NDArray teacherInputIds, NDArray teacherSpaceMask, float nBytes) {
        Shape s = studentLogprobs.getShape();
        long rows = s.get(0);
        long len = s.get(1);
        int[][] lens = HostInts.rows(patchLens);
        int slots = lens[0].length - 1;
        NDArray teacher = teacherLogprobs.stopGradient();

        NDArray studentMain = FusedCrossEntropy.pick(studentLogprobs.get(":, :-1"), fusedLabels.get(":, :-1"));
        NDArray yHatMain = studentMain.expandDims(1).batchMatMul(patchMembership(patchIds, slots)).squeeze(1);
        NDArray teacherMain = teacher.get(":, :-1").gather(
                teacherInputIds.get(":, 1:").toType(DataType.INT64, false).expandDims(2), 2).squeeze(2);
        NDArray yTrueMain = teacherMain.get(new NDIndex(":, :{}", slots));

        NDArray ySpaceHat = null;
        NDArray ySpaceTrue = null;
        NDArray yHat = yHatMain;
        NDArray yTrue = yTrueMain;
        if (debias) {
            ySpaceHat = studentSpace(studentLogprobs, lens);
            ySpaceTrue = teacherSpace(teacher, teacherSpaceMask).get(new NDIndex(":, :{}", slots));
            yHat = yHatMain.add(ySpaceHat);
            yTrue = yTrueMain.add(ySpaceTrue);
        }
        NDArray kl = binarisedKl(yTrue, yHat);
        NDArray patchMask = HostInts.create(studentLogprobs.getManager(), slotMask(lens));
        NDArray masked = kl.mul(patchMask.toType(DataType.FLOAT32, false)).sum();
        NDArray rawMean = Scalars.div(masked, rows * slots);
        NDArray loss = Scalars.mul(rawMean, (double) (rows * len) / nBytes);
        return new Result(studentMain, teacherMain, yHatMain, yTrueMain, ySpaceHat, ySpaceTrue, yHat, yTrue, kl,
                patchMask, masked, rawMean, loss);
    }

    /** KL(Bern(e^{y/τ−ε}) ‖ Bern(e^{ŷ/τ−ε})) per slot (reference {@code kl_div_fn}). */
    public NDArray binarisedKl(NDArray yTrue, NDArray yHat) {
        NDArray a = Scalars.div(yTrue, temperature).sub(epsilon);
        NDArray b = Scalars.div(yHat, temperature).sub(epsilon);
        NDArray ea = a.exp();
        NDArray positive = ea.mul(a.sub(b));
        NDArray negative = ea.neg().add(1f).mul(LogSpace.log1mexp(a).sub(LogSpace.log1mexp(b)));
        return positive.add(negative);
    }

    /**
     * M[b, t, p] = [patch_ids[b, t+1] − 1 = p], float32 [B, L−1, P−1]: byte-label t predicts byte t+1, which belongs
     * to slot patch_ids[t+1] − 1. Bytes of the BOS patch and past the last patch fall outside every slot.
     */
    static NDArray patchMembership(NDArray patchIds, int slots) {
        int[][] ids = HostInts.rows(patchIds);
        int rows = ids.length;
        int labels = ids[0].length - 1;
        float[] m = new float[rows * labels * slots];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < labels; t++) {
                int p = ids[b][t + 1] - 1;
                if (p >= 0 && p < slots) {
                    m[(b * labels + t) * slots + p] = 1f;
                }
            }
        }
        return patchIds.getManager().create(m, new Shape(rows, labels, slots));
    }

    /**
     * log Σ_{s ∈ whitespace} p_θ(s, no-boundary | x_≤e) at e = e_{p+1} = cumsum(patch_lens)_{p+1} − 1, the last
     * byte of slot p's patch: the student's probability that the next unit starts with whitespace. [B, P−1]
     */
    NDArray studentSpace(NDArray studentLogprobs, int[][] lens) {
        NDManager m = studentLogprobs.getManager();
        Shape s = studentLogprobs.getShape();
        int rows = (int) s.get(0);
        int len = (int) s.get(1);
        int slots = lens[0].length - 1;
        NDArray spaceIds = m.create(STUDENT_SPACE_IDS).toType(DataType.INT64, false)
                .reshape(1, 1, STUDENT_SPACE_IDS.length).broadcast(rows, len, STUDENT_SPACE_IDS.length);
        NDArray space = studentLogprobs.gather(spaceIds, 2);
        long[] ends = new long[rows * slots];
        for (int b = 0; b < rows; b++) {
            int end = lens[b][0];
            for (int p = 0; p < slots; p++) {
                end += lens[b][p + 1];
                ends[b * slots + p] = Math.min(Math.max(end - 1, 0), len - 1);
            }
        }
        NDArray index = m.create(ends, new Shape(rows, slots, 1)).repeat(2, STUDENT_SPACE_IDS.length);
        return LogSpace.logSumExp(space.gather(index, 1), 2);
    }

    /** log Σ_{v: space} p_T(v | tok_≤p+1) at teacher positions 1..T−1 → [B, T−1]. */
    static NDArray teacherSpace(NDArray teacherLogprobs, NDArray teacherSpaceMask) {
        NDArray zeros = teacherLogprobs.getManager().zeros(teacherSpaceMask.getShape());
        // −∞ outside the mask: exp(−∞) = 0 drops the term.
        NDArray masked = NDArrays.where(teacherSpaceMask.neq(0), zeros, zeros.sub(Float.POSITIVE_INFINITY));
        return LogSpace.logSumExp(teacherLogprobs.get(":, 1:").add(masked), 2);
    }

    static int[][] slotMask(int[][] lens) {
        int[][] mask = new int[lens.length][lens[0].length - 1];
        for (int b = 0; b < lens.length; b++) {
            for (int p = 0; p + 1 < lens[b].length; p++) {
                mask[b][p] = lens[b][p + 1] != 0 ? 1 : 0;
            }
        }
        return mask;
    }
}
