package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Elementwise arithmetic with a constant that is safe under autograd.
 *
 * <p>Why this exists: DJL's {@code NDArray.mul(Number)} (likewise div, maximum, minimum) wraps the number in a
 * tensor that points into a Java direct buffer and closes it right after the op. PyTorch's autograd keeps that
 * tensor for the backward pass of mul/div/max/min, but the buffer is now garbage: once the JVM collects it, the
 * backward reads freed memory (we saw NaN gradients appear whenever a GC ran between forward and backward). A
 * constant made by {@code NDManager.full} lives in libtorch-owned, reference-counted memory instead. Addition and
 * subtraction do not keep their operand, so {@code add(Number)} and {@code sub(Number)} stay as they are.
 */
public final class Scalars {

    private Scalars() {}

    public static NDArray mul(NDArray x, double v) {
        try (NDArray s = constant(x, v)) {
            return x.mul(s);
        }
    }

    public static NDArray div(NDArray x, double v) {
        try (NDArray s = constant(x, v)) {
            return x.div(s);
        }
    }

    public static NDArray maximum(NDArray x, double v) {
        try (NDArray s = constant(x, v)) {
            return x.maximum(s);
        }
    }

    public static NDArray minimum(NDArray x, double v) {
        try (NDArray s = constant(x, v)) {
            return x.minimum(s);
        }
    }

    private static NDArray constant(NDArray like, double v) {
        return like.getManager().full(new Shape(), (float) v, like.getDataType());
    }
}
