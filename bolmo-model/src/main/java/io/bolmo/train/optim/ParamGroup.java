package io.bolmo.train.optim;

import java.util.List;

/**
 * One AdamW parameter group (olmo-core's {@code OptimGroupOverride}): the parameters whose names match one of
 * {@code patterns} (fnmatch globs) get the scheduled learning rate times {@code lrMultiplier} and their own
 * decoupled {@code weightDecay}. Parameters no group matches belong to the optimizer's default group.
 */
public record ParamGroup(String name, double lrMultiplier, double weightDecay, List<String> patterns) {

    public ParamGroup {
        if (!(lrMultiplier >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("group '" + name + "': lrMultiplier and weightDecay must be >= 0");
        }
        patterns = List.copyOf(patterns);
    }

    /** The name of the group for parameters that no explicit group matches. */
    public static final String DEFAULT = "default";
}
