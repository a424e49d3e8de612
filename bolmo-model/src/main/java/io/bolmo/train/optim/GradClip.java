package io.bolmo.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/**
 * Global-norm gradient clipping with the semantics of PyTorch's {@code clip_grad_norm_} (what olmo-core calls
 * with {@code max_grad_norm}, 0.5 for Bolmo): the norm is the 2-norm of all gradients taken together; when
 * {@code maxNorm / (norm + 1e-6) < 1} every gradient is scaled in place by that factor.
 */
public final class GradClip {

    private GradClip() {
    }

    /**
     * Clips the gradients of {@code params} (those without a gradient are skipped) and returns the norm before
     * clipping. A non-finite norm is returned as is and leaves the gradients unchanged, so the caller can skip the
     * step (PyTorch would multiply by NaN).
     */
    public static double clipGradNorm(Collection<NDArray> params, double maxNorm) {
        try (NDScope scope = new NDScope()) {
            NDList grads = new NDList();
            for (NDArray p : params) {
                if (p.hasGradient()) {
                    grads.add(p.getGradient());
                }
            }
            if (grads.isEmpty()) {
                return 0.0;
            }
            double norm = totalNorm(grads);
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1.0) {
                for (NDArray g : grads) {
                    g.muli(coef);
                }
            }
            return norm;
        }
    }

    /** The 2-norm of the per-tensor 2-norms, computed on the device with one transfer to the host. */
    private static double totalNorm(NDList grads) {
        NDList norms = new NDList(grads.size());
        for (NDArray g : grads) {
            norms.add(g.norm());
        }
        return NDArrays.stack(norms).norm().toType(DataType.FLOAT64, false).getDouble();
    }
}
