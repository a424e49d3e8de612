package io.bolmo.engine.djl;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd off for a block (like {@code torch.no_grad()}): evaluation records no graph. Grad mode is thread-local in
 * libtorch, so it is set around each pass rather than once.
 */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    static GradMode off() {
        return new GradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
