package io.bolmo.generate;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waiting for a generation that runs on another thread (a scheduler's, a worker's). */
public final class Generations {

    private Generations() {}

    /**
     * The generation's result, or its own exception (not wrapped). Interrupting the waiting thread runs
     * {@code cancel} (which must make the generation stop) and ends the wait with a {@link CancellationException}.
     */
    public static <T> T await(CompletableFuture<T> done, Runnable cancel) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            cancel.run();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the generation");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
