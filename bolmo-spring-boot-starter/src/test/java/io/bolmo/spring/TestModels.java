package io.bolmo.spring;

import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationResult;
import io.bolmo.spring.ai.BolmoEngine;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.tokenize.ChatMessage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** The random-weight tiny model from the test resources, and an engine wrapper that lets tests watch the engine. */
public final class TestModels {

    private TestModels() {}

    /** A real Bolmo model (random weights: it writes gibberish, but runs the real decoding loop). */
    public static Path tinyModel() {
        try {
            return Path.of(TestModels.class.getResource("/models/tiny-olmo3/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Wraps the real engine: counts submissions and decoding steps, can slow each step down (so a tiny model runs
     * long enough to be cancelled or timed out), and records what the engine itself returned.
     */
    public static final class WatchedEngine implements BolmoEngine {
        private final BolmoEngine delegate;
        public volatile long stepDelayMillis;
        public final AtomicInteger submitted = new AtomicInteger();
        public final AtomicInteger steps = new AtomicInteger();
        public final AtomicInteger running = new AtomicInteger();
        /** Fused ids chosen, the forced decision on the last prompt byte included: 0 while the prefill runs. */
        public final AtomicInteger fusedSteps = new AtomicInteger();
        /**
         * Runs on the engine's thread at the first cancellation check of each generation (made before its prefill),
         * after that check has read the flag: a stop it requests is seen by the next check only.
         */
        public volatile Runnable onFirstCheck = () -> {};
        public final BlockingQueue<GenerationResult> results = new LinkedBlockingQueue<>();

        public WatchedEngine(BolmoEngine delegate) {
            this.delegate = delegate;
        }

        @Override
        public int promptBytes(List<ChatMessage> messages) {
            return delegate.promptBytes(messages);
        }

        @Override
        public CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, GenerationOptions options,
                GenerationListener listener) {
            submitted.incrementAndGet();
            running.incrementAndGet();
            CompletableFuture<GenerationResult> done;
            try {
                done = delegate.submit(messages, options, new GenerationListener() {
                    private boolean checked;

                    @Override
                    public void onText(String piece) {
                        listener.onText(piece);
                    }

                    @Override
                    public void onStep(int fusedId) {
                        fusedSteps.incrementAndGet();
                    }

                    @Override
                    public boolean isCancelled() {
                        if (!checked) {
                            checked = true;
                            boolean cancelled = listener.isCancelled();
                            onFirstCheck.run();
                            return cancelled;
                        }
                        steps.incrementAndGet();
                        if (stepDelayMillis > 0) {
                            try {
                                Thread.sleep(stepDelayMillis);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return listener.isCancelled();
                    }
                });
            } catch (RuntimeException e) {
                running.decrementAndGet();
                throw e;
            }
            return done.whenComplete((r, e) -> {
                running.decrementAndGet();
                // published only once the engine has stopped, so a test that sees the result sees running == 0
                if (r != null) {
                    results.add(r);
                }
            });
        }
    }
}
