package io.bolmo.train.optim;

/**
 * Bolmo's optimizer settings (model.md §6.1 Stage 1, §7 Stage 2) in Hugging Face parameter names: AdamW, eps 1e-8,
 * weight decay 0.1 except on the two embeddings (olmo-core's {@code local_encoder.embedding.weight} and
 * {@code local_encoder.expanded_embeddings.weight}), clip 0.5, {@code LinearWithWarmup(0.1, 0)}.
 */
public final class BolmoOptimizers {

    /** Global (Olmo) blocks: olmo-core's {@code blocks.*}. */
    public static final String GLOBAL_BLOCKS = "model.layers.*";
    public static final String BYTE_EMBEDDING = "model.local_encoder.byte_embedding.weight";
    public static final String SUBWORD_EMBEDDING = "model.local_encoder.subword_embedding.weight";
    public static final double WEIGHT_DECAY = 0.1;
    public static final double MAX_GRAD_NORM = 0.5;
    public static final double WARMUP_FRACTION = 0.1;
    public static final double ALPHA_F = 0.0;

    private BolmoOptimizers() {
    }

    /** Stage 1: betas (0.9, 0.999); the global blocks are frozen (olmo-core {@code freeze_params=["blocks*"]}). */
    public static AdamW.Builder stage1() {
        return common().betas(0.9, 0.999).freeze(GLOBAL_BLOCKS);
    }

    /**
     * Stage 2: betas (0.9, 0.95), everything trainable; the global blocks run at {@code globalLrMultiplier} times
     * the schedule's rate (0.5 in Bolmo: 2.6e-5 vs 5.2e-5 at 1B). The released freeze of
     * {@code boundary_predictor.*} matches nothing in the current layout (model.md §7), so nothing is frozen here.
     */
    public static AdamW.Builder stage2(double globalLrMultiplier) {
        return common().betas(0.9, 0.95).group("global", globalLrMultiplier, WEIGHT_DECAY, GLOBAL_BLOCKS);
    }

    /**
     * Stage 2 settings with the global blocks frozen: only the local models (encoder, predictor, decoder, head,
     * embeddings) train, which fine-tunes a large model on a small machine (no optimizer moments for the blocks).
     */
    public static AdamW.Builder stage2LocalOnly() {
        return common().betas(0.9, 0.95).freeze(GLOBAL_BLOCKS);
    }

    /** {@code LinearWithWarmup(warmup_fraction=0.1, alpha_f=0)} over {@code totalSteps}. */
    public static LrSchedule schedule(double peakLr, long totalSteps) {
        return LrSchedule.linearWithWarmup(peakLr, totalSteps, WARMUP_FRACTION, ALPHA_F);
    }

    private static AdamW.Builder common() {
        return AdamW.builder().eps(1e-8).weightDecay(WEIGHT_DECAY)
                .group("no_decay", 1.0, 0.0, BYTE_EMBEDDING, SUBWORD_EMBEDDING);
    }
}
