package io.bolmo.generate;

/**
 * A listener that passes every call on to another; override what you add (a cancel condition, a record, a delay).
 * Wrappers extend this rather than implementing {@link GenerationListener} by hand, so that a call added to the
 * interface later (as {@link #onBoundaries} was) is never silently dropped by a wrapper.
 */
public class ForwardingGenerationListener implements GenerationListener {

    protected final GenerationListener delegate;

    public ForwardingGenerationListener(GenerationListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onText(String piece) {
        delegate.onText(piece);
    }

    @Override
    public void onBoundaries(ByteBoundaries piece) {
        delegate.onBoundaries(piece);
    }

    @Override
    public void onPromptBoundaries(ByteBoundaries prompt) {
        delegate.onPromptBoundaries(prompt);
    }

    @Override
    public void onStep(int fusedId) {
        delegate.onStep(fusedId);
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }
}
