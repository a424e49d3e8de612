package io.bolmo.train.optim;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch autograd recording off for a block, like {@code torch.no_grad()} around {@code optimizer.step()}.
 * Needed because in-place updates of a leaf that requires grad fail while grad mode is on, and grad mode is
 * thread-local in libtorch: a worker thread (e.g. a Spring Batch step) starts with it on.
 */
final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    static NoGrad enter() {
        return new NoGrad();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
