package io.bolmo.examples.chat;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.ByteBoundaries;
import io.bolmo.generate.ForwardingGenerationListener;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.models.SmallModel;
import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.spring.ai.BolmoEngine;
import io.bolmo.spring.autoconfigure.BolmoChatProperties;
import io.bolmo.tokenize.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The service on the shipped small model (so the page shows real text and patches), with its engine wrapped to
 * record, on the server, what the model received and reported: every turn's messages and options, its patch
 * reports, and when and how its generation ended. Optionally slows each decoding step down, so a test can act
 * while a reply is still being generated.
 */
@TestConfiguration(proxyBeanMethods = false)
class RecordingModelConfiguration {

    /** One generation as the engine saw it. */
    static final class Turn {
        final List<ChatMessage> messages;
        final GenerationOptions options;
        final List<ByteBoundaries> pieces = new CopyOnWriteArrayList<>();
        volatile ByteBoundaries prompt;
        volatile long endNanos;
        final CompletableFuture<GenerationResult> done = new CompletableFuture<>();

        Turn(List<ChatMessage> messages, GenerationOptions options) {
            this.messages = List.copyOf(messages);
            this.options = options;
        }

        ByteBoundaries reply() {
            return ByteBoundaries.concat(new ArrayList<>(pieces));
        }
    }

    static final class RecordingEngine implements BolmoEngine {
        final List<Turn> turns = new CopyOnWriteArrayList<>();
        volatile long stepDelayMillis;
        private final BolmoEngine delegate;

        RecordingEngine(BolmoEngine delegate) {
            this.delegate = delegate;
        }

        Turn last() {
            return turns.get(turns.size() - 1);
        }

        @Override
        public int promptBytes(List<ChatMessage> messages) {
            return delegate.promptBytes(messages);
        }

        @Override
        public CompletableFuture<GenerationResult> submit(List<ChatMessage> messages, GenerationOptions options,
                GenerationListener listener) {
            Turn turn = new Turn(messages, options);
            turns.add(turn);
            CompletableFuture<GenerationResult> f = delegate.submit(messages, options,
                    new ForwardingGenerationListener(listener) {
                @Override
                public void onBoundaries(ByteBoundaries piece) {
                    turn.pieces.add(piece);
                    listener.onBoundaries(piece);
                }

                @Override
                public void onPromptBoundaries(ByteBoundaries prompt) {
                    turn.prompt = prompt;
                    listener.onPromptBoundaries(prompt);
                }

                @Override
                public boolean isCancelled() {
                    long delay = stepDelayMillis;
                    if (delay > 0) {
                        try {
                            Thread.sleep(delay);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return listener.isCancelled();
                }
            });
            f.whenComplete((r, e) -> {
                turn.endNanos = System.nanoTime();
                if (e != null) {
                    turn.done.completeExceptionally(e);
                } else {
                    turn.done.complete(r);
                }
            });
            return f;
        }
    }

    @Bean(destroyMethod = "close")
    Bolmo bolmo() {
        return Bolmo.load(SmallModel.bolmo(), Bolmo.Options.defaults().withDevice("cpu"));
    }

    @Bean(destroyMethod = "close")
    BolmoScheduler bolmoScheduler(Bolmo bolmo) {
        return bolmo.scheduler(BolmoScheduler.Options.of(4));
    }

    @Bean
    RecordingEngine recordingEngine(Bolmo bolmo, BolmoScheduler scheduler) {
        return new RecordingEngine(BolmoEngine.of(bolmo, scheduler));
    }

    /** The service's own default options (application.properties), as the auto-configuration would set them. */
    @Bean
    BolmoChatModel chatModel(RecordingEngine engine, BolmoChatProperties properties) {
        return BolmoChatModel.builder().engine(engine)
                .defaultOptions(properties.defaultOptions().mutate().model("bolmo-small").build()).build();
    }
}
