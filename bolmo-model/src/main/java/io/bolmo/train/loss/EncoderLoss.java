package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * L_enc, matching the student's patch states to the teacher's hidden states after the same frozen global blocks
 * (model.md §6.5; reference {@code _compute_local_encoder_loss} with {@code rep_compare_fn="l2"}):
 * dist_j^{(i)} = ‖S^{(i)}_j − H^{(i)}_{a_j}‖₂ / √d, summed with layer weights w_i (released: [0, 0, 0, 4]).
 *
 * <p>reference: Σ_i w_i Σ_{valid j} dist_j^{(i)} / N_patches, where the valid patches include the BOS patch but
 * N_patches counts subword tokens only; plain reading: Σ_i w_i · mean over patches of dist^{(i)} (model.md §6.2).
 *
 * <p>The no-lookahead term (patch vectors z vs teacher embeddings, weight 0) is one more (student, teacher, weight)
 * triple if a caller wants it.
 */
public final class EncoderLoss {

    /** The released lookahead weights: only the hidden state after global block index 3 counts, with weight 4. */
    public static final float[] RELEASED_LAYER_WEIGHTS = {0f, 0f, 0f, 4f};

    /**
     * @param alignment the student→teacher alignment used
     * @param distances dist^{(i)} [B, P_s] (before the valid mask) for every layer i with non-zero weight
     * @param weightedSum Σ_i w_i Σ_valid dist^{(i)}
     * @param rawMean   weightedSum / (B·P_s), the value before {@code _finalize_loss}
     * @param loss      weightedSum / N_patches, the finalised L_enc
     */
    public record Result(PatchAlignment alignment, Map<Integer, NDArray> distances, NDArray weightedSum,
            NDArray rawMean, NDArray loss) {
    }

    private EncoderLoss() {
    }

    /**
     * @param studentHidden S^{(i)} [B, P_s, d] per layer i (gradients flow)
     * @param teacherHidden H^{(i)} [B, T, d] per layer i (treated as constants)
     * @param layerWeights  w_i, same length as the lists
     * @param alignment     from {@link PatchAlignment#of}
     * @param nPatches      N_patches divisor (subword tokens in the global batch)
     */
    public static Result compute(List<NDArray> studentHidden, List<NDArray> teacherHidden, float[] layerWeights,
            PatchAlignment alignment, float nPatches) {
        if (studentHidden.size() != layerWeights.length || teacherHidden.size() != layerWeights.length) {
            throw new IllegalArgumentException("need one student state, one teacher state and one weight per layer");
        }
        NDArray valid = alignment.valid().toType(DataType.FLOAT32, false);
        Map<Integer, NDArray> distances = new LinkedHashMap<>();
        NDArray weightedSum = null;
        for (int i = 0; i < layerWeights.length; i++) {
            if (layerWeights[i] == 0f) {
                continue; // weight-0 terms add exactly 0 in the reference; skip the work
            }
            NDArray dist = distance(studentHidden.get(i), teacherHidden.get(i), alignment.alignedIndex());
            distances.put(i, dist);
            NDArray term = Scalars.mul(dist.mul(valid).sum(), layerWeights[i]);
            weightedSum = weightedSum == null ? term : weightedSum.add(term);
        }
        if (weightedSum == null) {
            weightedSum = valid.getManager().create(0f);
        }
        Shape s = alignment.valid().getShape();
        NDArray rawMean = Scalars.div(weightedSum, s.get(0) * s.get(1));
        return new Result(alignment, distances, weightedSum, rawMean, Scalars.div(weightedSum, nPatches));
    }

    /** ‖S_j − H_{a_j}‖₂ / √d → [B, P_s]; the teacher side is detached (it runs under no_grad in the reference). */
    public static NDArray distance(NDArray student, NDArray teacher, NDArray alignedIndex) {
        Shape s = student.getShape();
        long d = s.get(2);
        NDArray index = alignedIndex.toType(DataType.INT64, false).expandDims(2).repeat(2, d);
        NDArray gathered = teacher.stopGradient().gather(index, 1);
        return Scalars.div(student.sub(gathered).norm(new int[] {2}), Math.sqrt(d));
    }
}
