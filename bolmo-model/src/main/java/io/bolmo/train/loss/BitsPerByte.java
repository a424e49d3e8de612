package io.bolmo.train.loss;

import static io.bolmo.config.BolmoConfig.FUSED_VOCAB;
import static io.bolmo.config.BolmoConfig.PLAIN_VOCAB;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Byte-level likelihood with the boundary flag marginalised (model.md §5.5, README likelihood evaluation):
 * P(byte) = P(byte, no-boundary) + P(byte, boundary), so bits per byte do not depend on where patches end.
 */
public final class BitsPerByte {

    private BitsPerByte() {
    }

    /** log P(byte) for the 260 plain ids: logaddexp(logp[..., :260], logp[..., 260:520]) → [B, L, 260]. */
    public static NDArray marginalLogprobs(NDArray logits) {
        NDArray logprobs = logits.logSoftmax(2);
        NDArray plain = logprobs.get(new NDIndex(":, :, :{}", PLAIN_VOCAB));
        NDArray fused = logprobs.get(new NDIndex(":, :, {}:{}", PLAIN_VOCAB, FUSED_VOCAB));
        return LogSpace.logAddExp(plain, fused);
    }

    /**
     * log P(x_{t+1}) per position [B, L], 0 where ignored.
     *
     * @param logits [B, L, V]
     * @param labels [B, L] fused or plain labels (the flag is dropped), −100 = ignore
     */
    public static NDArray byteLogprobs(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(ByteLabels.IGNORE_INDEX);
        NDArray plainLabels = labels.maximum(0).mod(PLAIN_VOCAB);
        NDArray picked = FusedCrossEntropy.pick(marginalLogprobs(logits), plainLabels);
        return NDArrays.where(valid, picked, picked.zerosLike());
    }

    /** −Σ log₂ P(byte) / #valid bytes, for logs. */
    public static double bitsPerByte(NDArray logits, NDArray labels) {
        NDArray logprobs = byteLogprobs(logits, labels);
        long count = labels.neq(ByteLabels.IGNORE_INDEX).toType(DataType.INT64, false).sum().getLong();
        return -logprobs.sum().getFloat() / (count * Math.log(2.0));
    }
}
