package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * L_CE over the fused output space (model.md §5.5, §6.7): ce_t = −log softmax(logits_t)[y_t] with the softmax over all
 * V (640) logits, padding ids 520–639 included, and y = −100 ignored.
 *
 * <p>reference: mean over valid bytes × (B·L)/N_bytes (the model calls the CE with reduction {@code mean}, then
 * {@code _finalize_loss} divides by N_bytes/(B·L)); plain reading: Σ ce / N_bytes (model.md §6.2). Use
 * {@link Result#sum()} / N_bytes for that value.
 */
public final class FusedCrossEntropy {

    /**
     * @param perPosition ce_t [B, L], 0 at ignored positions
     * @param sum         Σ ce_t over valid positions
     * @param count       number of valid positions in this batch
     * @param rawMean     sum / count ({@code reduction='mean'}), the value before {@code _finalize_loss}
     * @param loss        rawMean · (B·L) / N_bytes, the finalised L_CE
     */
    public record Result(NDArray perPosition, NDArray sum, int count, NDArray rawMean, NDArray loss) {
    }

    private FusedCrossEntropy() {
    }

    /**
     * @param logits [B, L, V] float32
     * @param labels [B, L] integer fused labels, −100 = ignore
     * @param nBytes N_bytes (global batch label count)
     */
    public static Result compute(NDArray logits, NDArray labels, float nBytes) {
        NDArray valid = labels.neq(ByteLabels.IGNORE_INDEX);
        NDArray picked = pick(logits.logSoftmax(2), labels);
        NDArray perPosition = NDArrays.where(valid, picked.neg(), picked.zerosLike());
        NDArray sum = perPosition.sum();
        int count = (int) valid.toType(DataType.INT64, false).sum().getLong();
        NDArray rawMean = Scalars.div(sum, count);
        Shape s = labels.getShape();
        NDArray loss = Scalars.mul(rawMean, (double) (s.get(0) * s.get(1)) / nBytes);
        return new Result(perPosition, sum, count, rawMean, loss);
    }

    /** {@link #compute} with N_bytes = the valid-label count of this batch. */
    public static Result compute(NDArray logits, NDArray labels) {
        float nBytes = labels.neq(ByteLabels.IGNORE_INDEX).toType(DataType.FLOAT32, false).sum().getFloat();
        return compute(logits, labels, nBytes);
    }

    /** logprobs[b, t, max(y_t, 0)] → [B, L]; ignored labels read id 0 and must be masked by the caller. */
    static NDArray pick(NDArray logprobs, NDArray labels) {
        NDArray index = labels.maximum(0).toType(DataType.INT64, false).expandDims(2);
        return logprobs.gather(index, 2).squeeze(2);
    }
}
