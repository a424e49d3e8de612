package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The weighted training objective of a stage (model.md §6.2, §7; reference {@code model.py:2405–2437}) over already
 * finalised per-loss scalars. Null losses are allowed only where their weight is 0 (Stage 2 has no teacher).
 */
public final class StageLoss {

    private StageLoss() {
    }

    /** Σ w·L over the four losses; each argument is a finalised scalar (or null where its weight is 0). */
    public static NDArray total(StageWeights w, NDArray encoder, NDArray ce, NDArray distill, NDArray boundary) {
        NDArray total = null;
        total = addWeighted(total, w.encoder(), encoder, "encoder");
        total = addWeighted(total, w.ce(), ce, "ce");
        total = addWeighted(total, w.distill(), distill, "distill");
        total = addWeighted(total, w.boundary(), boundary, "boundary");
        if (total == null) {
            throw new IllegalArgumentException("all stage weights are 0");
        }
        return total;
    }

    /** Stage 1: L_enc + L_CE + L_distill + 4·L_bnd (released weights). */
    public static NDArray stage1(NDArray encoder, NDArray ce, NDArray distill, NDArray boundary) {
        return total(StageWeights.STAGE1, encoder, ce, distill, boundary);
    }

    /** Stage 2: L_CE + 4·L_bnd (released weights). */
    public static NDArray stage2(NDArray ce, NDArray boundary) {
        return total(StageWeights.STAGE2, null, ce, null, boundary);
    }

    private static NDArray addWeighted(NDArray total, float weight, NDArray loss, String name) {
        if (weight == 0f) {
            return total;
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss '" + name + "' has weight " + weight + " but was not given");
        }
        NDArray term = Scalars.mul(loss, weight);
        return total == null ? term : total.add(term);
    }
}
