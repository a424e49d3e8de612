package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * L_bnd, the boundary BCE in log space (model.md §6.4; reference {@code binary_cross_entropy_with_logprobs}).
 *
 * <p>bce_t = −(β*_t ℓ̄_t + (1−β*_t) log1mexp(ℓ̄_t)), ℓ̄_t = min(ℓ_t, −1e−3): the clip keeps log(1 − p) finite at
 * the BOS position (ℓ_0 = 0) and bounds the loss of a "certain" boundary.
 *
 * <p>reference: Σ_mask bce / N_bytes with N_bytes = #labels of the (global) batch; plain reading: mean over the masked
 * positions. Both agree when the batch is the whole global batch, since the mask count equals N_bytes.
 */
public final class BoundaryLoss {

    /** Upper clip of the boundary log-prob. */
    public static final float LOGPROB_CLIP = -1e-3f;

    /**
     * @param elementwise bce_t before masking [B, L]
     * @param mask        positions that count (byte mask minus the last {@code lookahead} columns), float32 0/1 [B, L]
     * @param sum         Σ mask·bce (scalar)
     * @param rawMean     sum / (B·L), the value before {@code _finalize_loss}
     * @param loss        sum / N_bytes, the finalised L_bnd
     */
    public record Result(NDArray elementwise, NDArray mask, NDArray sum, NDArray rawMean, NDArray loss) {
    }

    private BoundaryLoss() {
    }

    /**
     * @param boundaryLogprobs ℓ [B, L] float32 (log p of "byte ends a patch")
     * @param targets          β* [B, L] float32 0/1
     * @param byteMask         m [B, L] 0/1 (any numeric type)
     * @param lookahead        predictor lookahead (1): its last columns have no next byte and are excluded
     * @param nBytes           N_bytes divisor (global batch label count)
     */
    public static Result compute(NDArray boundaryLogprobs, NDArray targets, NDArray byteMask, int lookahead,
            float nBytes) {
        NDArray bce = elementwise(boundaryLogprobs, targets);
        NDArray mask = lossMask(byteMask, lookahead);
        NDArray sum = bce.mul(mask).sum();
        Shape s = boundaryLogprobs.getShape();
        NDArray rawMean = Scalars.div(sum, s.get(0) * s.get(1));
        return new Result(bce, mask, sum, rawMean, Scalars.div(sum, nBytes));
    }

    /** {@link #compute} with lookahead 1 and N_bytes = Σ byteMask (a single micro-batch). */
    public static Result compute(NDArray boundaryLogprobs, NDArray targets, NDArray byteMask) {
        float nBytes = byteMask.toType(DataType.FLOAT32, false).sum().getFloat();
        return compute(boundaryLogprobs, targets, byteMask, 1, nBytes);
    }

    /** bce_t for every position (no mask), float32 like ℓ. */
    public static NDArray elementwise(NDArray boundaryLogprobs, NDArray targets) {
        NDArray clipped = Scalars.minimum(boundaryLogprobs, LOGPROB_CLIP);
        NDArray z = targets.toType(DataType.FLOAT32, false);
        NDArray logNoBoundary = LogSpace.log1mexp(clipped);
        return z.mul(clipped).add(z.neg().add(1f).mul(logNoBoundary)).neg();
    }

    /** The byte mask with the last {@code lookahead} columns cleared, as float32. */
    static NDArray lossMask(NDArray byteMask, int lookahead) {
        NDArray mask = byteMask.toType(DataType.FLOAT32, true);
        long len = mask.getShape().get(1);
        if (lookahead > 0) {
            mask.set(new NDIndex(":, {}:", len - lookahead), 0f);
        }
        return mask;
    }
}
