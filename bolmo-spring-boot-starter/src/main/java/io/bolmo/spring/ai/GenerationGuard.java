package io.bolmo.spring.ai;

import io.bolmo.generate.GenerationResult;
import java.util.concurrent.CompletableFuture;

/**
 * Guards every generation: admits it or rejects it at once (for example when all slots are busy), stops it when its
 * time is up, and frees its place once the engine has really stopped. The starter implements it with Resilience4j;
 * the chat model depends on no resilience library.
 */
public interface GenerationGuard {

    /**
     * Runs {@code generation} under the guard. When it is not admitted this throws at once, on the caller's thread
     * (which may be an event loop, so it never blocks), and nothing is started. Otherwise the generation is started
     * and the returned future completes with its result, or with a {@link BolmoGenerationTimeoutException} as soon as
     * the time limit passes. The guard's place is freed only when the generation's own future completes.
     *
     * @param promptBytes UTF-8 bytes the model prefills for this generation
     */
    CompletableFuture<GenerationResult> run(int promptBytes, Generation generation);

    /** A generation the guard starts and, at its time limit, stops. */
    interface Generation {

        /** Starts it without waiting; the future completes once the engine has stopped. */
        CompletableFuture<GenerationResult> start();

        /** Makes the engine stop it soon (within a decoding step); its future then completes as cancelled. */
        void stop();
    }

    /** Admits everything, no time limit. */
    GenerationGuard NONE = (promptBytes, generation) -> generation.start();
}
