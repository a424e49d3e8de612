package io.bolmo.train.loss;

/**
 * Loss weights of the two training stages (model.md §6.2, §7): Stage 1 = L_enc + L_CE + L_distill + 4·L_bnd,
 * Stage 2 = L_CE + 4·L_bnd. A zero weight drops the loss (it is then not even required).
 */
public record StageWeights(float encoder, float ce, float distill, float boundary) {

    public static final StageWeights STAGE1 = new StageWeights(1f, 1f, 1f, 4f);
    public static final StageWeights STAGE2 = new StageWeights(0f, 1f, 0f, 4f);

    public StageWeights withBoundary(double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("boundary-weight = " + w + " is invalid: must be a finite number >= 0");
        }
        return new StageWeights(encoder, ce, distill, (float) w);
    }
}
