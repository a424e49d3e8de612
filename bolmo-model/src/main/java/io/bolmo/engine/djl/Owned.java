package io.bolmo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.bolmo.nn.MLstmLayer;
import java.util.List;

/**
 * Moves decoding state out of a step's {@link NDScope} onto the manager that owns it between steps, and frees the
 * state it replaces: the one rule that keeps native memory flat however long a generation runs.
 */
final class Owned {

    private Owned() {}

    static NDArray keep(NDArray next, NDArray previous, NDManager owner) {
        NDScope.unregister(next);
        next.attach(owner);
        if (previous != null) {
            previous.close();
        }
        return next;
    }

    /** Frees {@code state} (when there is one) and returns null, for {@code field = Owned.drop(field)}. */
    static NDArray drop(NDArray state) {
        if (state != null) {
            state.close();
        }
        return null;
    }

    static List<MLstmLayer.State> keep(List<MLstmLayer.State> next, List<MLstmLayer.State> previous,
            NDManager owner) {
        for (MLstmLayer.State s : next) {
            keep(s.c(), null, owner);
            keep(s.n(), null, owner);
            keep(s.m(), null, owner);
        }
        if (previous != null) {
            previous.forEach(MLstmLayer.State::close);
        }
        return next;
    }
}
