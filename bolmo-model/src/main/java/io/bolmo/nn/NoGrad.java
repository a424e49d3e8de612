package io.bolmo.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch autograd recording off for a block, like {@code torch.no_grad()}: evaluation passes record no graph,
 * and the optimizer's in-place updates of a leaf that requires grad fail while grad mode is on. Grad mode is
 * thread-local in libtorch (a worker thread, e.g. a Spring Batch step, starts with it on), so it is set around each
 * block rather than once; closing restores what was there before.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
