package io.bolmo.train.optim;

/**
 * The learning-rate schedules of olmo-core used by Bolmo (model.md §6.1, §7): {@code LinearWithWarmup} and constant.
 *
 * <p>A schedule is a pure function of the step, so a restarted job gets the same rate from the restored step
 * count alone. {@code step} follows olmo-core's {@code trainer.global_step}, which is incremented before the
 * batch runs: the first optimizer update uses {@code lr(1)}, and {@code lr(0)} is never used for an update.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The (peak-scaled) learning rate for optimizer update number {@code step} (1-based). */
    double lr(long step);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /**
     * olmo-core's {@code LinearWithWarmup(warmup_fraction, alpha_f)} over {@code totalSteps} ({@code t_max}):
     * {@code warmup = round(totalSteps × warmupFraction)}, where {@code round} is Python's (ties to even, as
     * {@link Math#rint}); for {@code step < warmup} the rate rises linearly {@code peak × step / warmup}; from
     * {@code warmup} it falls linearly to {@code alphaF × peak}, reached at {@code totalSteps} and held after.
     * (olmo-core's {@code warmup_min_lr} is 0 in Bolmo's runs and is not modelled.)
     */
    static LrSchedule linearWithWarmup(double peak, long totalSteps, double warmupFraction, double alphaF) {
        if (totalSteps <= 0 || warmupFraction < 0 || warmupFraction > 1) {
            throw new IllegalArgumentException("need totalSteps > 0 and 0 <= warmupFraction <= 1");
        }
        long warmup = (long) Math.rint(totalSteps * warmupFraction);
        return linearWithWarmupSteps(peak, totalSteps, warmup, alphaF);
    }

    /** {@code LinearWithWarmup} with an explicit number of warm-up steps. */
    static LrSchedule linearWithWarmupSteps(double peak, long totalSteps, long warmup, double alphaF) {
        double floor = peak * alphaF;
        return step -> {
            if (step < warmup) {
                return peak * step / warmup;
            }
            if (step >= totalSteps) {
                return floor;
            }
            return peak - (peak - floor) * ((double) (step - warmup) / (totalSteps - warmup));
        };
    }
}
