package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationResult;
import io.bolmo.spring.autoconfigure.Resilience4jGenerationGuard;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Against the real tiny model (random weights). */
class BolmoChatModelTests extends TinyModelTestBase {

    @Test
    void chatClientCallReturnsTextUsageAndMetadata() {
        ChatClient client = ChatClient.create(model());
        ChatResponse response = client.prompt().system("You are terse.").user("Hello")
                .options(BolmoChatOptions.builder().maxTokens(16)).call().chatResponse();

        GenerationResult engineResult = engine.results.poll();
        assertThat(engineResult).isNotNull();
        assertThat(response.getResult().getOutput().getText()).isEqualTo(engineResult.text());
        assertThat(response.getResult().getMetadata().getFinishReason()).isIn("STOP", "LENGTH");
        assertThat(engineResult.generatedUnits()).isLessThanOrEqualTo(16);
        var usage = response.getMetadata().getUsage();
        assertThat(usage.getPromptTokens()).isEqualTo(engineResult.promptUnits()).isGreaterThan(20);
        assertThat(usage.getCompletionTokens()).isEqualTo(engineResult.generatedUnits());
        assertThat((Integer) response.getMetadata().get("patches")).isEqualTo(engineResult.patches());
        assertThat((Duration) response.getMetadata().get("decode-duration")).isPositive();
        assertThat(response.getMetadata().getModel()).isEqualTo("tiny-olmo3");
    }

    @Test
    void streamGivesWholePiecesThatMatchTheBlockingAnswer() {
        BolmoChatModel m = model();
        Prompt prompt = new Prompt(List.of(new SystemMessage("Be brief."), new UserMessage("Hi there")),
                BolmoChatOptions.builder().maxTokens(40).build());
        String blocking = m.call(prompt).getResult().getOutput().getText();

        List<ChatResponse> chunks = m.stream(prompt).collectList().block(Duration.ofSeconds(30));
        assertThat(chunks).isNotEmpty();
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.getResult().getOutput().getText()));
        assertThat(text.toString()).isEqualTo(blocking);
        ChatResponse last = chunks.get(chunks.size() - 1);
        assertThat(last.getResult().getMetadata().getFinishReason()).isIn("STOP", "LENGTH");
        assertThat(last.getMetadata().getUsage().getPromptTokens()).isPositive();

        List<String> pieces = ChatClient.create(m).prompt(prompt).stream().content().collectList()
                .block(Duration.ofSeconds(30));
        assertThat(String.join("", pieces)).isEqualTo(blocking);
        // whole code points only: a piece never ends or starts inside a surrogate pair
        pieces.forEach(p -> assertThat(new String(p.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(p));
    }

    /**
     * With boundaries on, each streamed chunk carries the patch report of exactly its text's bytes, the joined
     * reports equal the blocking call's, and the final response carries the prompt's: every byte of the templated
     * prompt (BOS excluded).
     */
    @Test
    void boundariesComeWithEveryChunkAndTheirBytesAreTheText() {
        BolmoChatModel m = model();
        Prompt prompt = new Prompt(List.of(new SystemMessage("Be brief."), new UserMessage("Hi there")),
                BolmoChatOptions.builder().maxTokens(40).boundaries(true).build());
        ChatResponse blocking = m.call(prompt);
        io.bolmo.generate.ByteBoundaries whole = blocking.getResult().getMetadata()
                .get(BolmoChatModel.BOUNDARIES);
        assertThat(whole).isNotNull();
        assertThat(whole.length()).isPositive();

        List<ChatResponse> chunks = m.stream(prompt).collectList().block(Duration.ofSeconds(30));
        List<io.bolmo.generate.ByteBoundaries> pieces = new java.util.ArrayList<>();
        for (ChatResponse c : chunks.subList(0, chunks.size() - 1)) {
            io.bolmo.generate.ByteBoundaries b = c.getResult().getMetadata().get(BolmoChatModel.BOUNDARIES);
            assertThat(b).as("chunk %s", c.getResult().getOutput().getText()).isNotNull();
            byte[] raw = new byte[b.length()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) b.bytes()[i];
            }
            assertThat(new String(raw, java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(c.getResult().getOutput().getText());
            pieces.add(b);
        }
        assertThat(io.bolmo.generate.ByteBoundaries.concat(pieces)).isEqualTo(whole);
        io.bolmo.generate.ByteBoundaries promptPatches = chunks.get(chunks.size() - 1).getMetadata()
                .get(BolmoChatModel.PROMPT_BOUNDARIES);
        assertThat(promptPatches.length()).isEqualTo(chunks.get(chunks.size() - 1).getMetadata().getUsage()
                .getPromptTokens());
        assertThat(promptPatches.patchEnds()).isPositive();

        ChatResponse off = m.call(new Prompt(prompt.getInstructions(),
                BolmoChatOptions.builder().maxTokens(40).build()));
        assertThat((Object) off.getResult().getMetadata().get(BolmoChatModel.BOUNDARIES)).isNull();
        assertThat(off.getResult().getOutput().getText()).isEqualTo(blocking.getResult().getOutput().getText());
    }

    /**
     * Concurrent calls are decoded together: fewer scheduler steps than bytes generated, and each answer is the one
     * the same request gets alone (greedy).
     */
    @Test
    void concurrentCallsShareDecodingStepsAndAnswerAsAlone() throws Exception {
        BolmoChatModel m = model();
        engine.stepDelayMillis = 3; // long enough for the three to overlap on the tiny model
        List<String> questions = List.of("Hello", "Name three rivers, please.", "Why?");
        BolmoChatOptions options = BolmoChatOptions.builder().maxTokens(30).temperature(0.0).build();
        long stepsBefore = scheduler.steps();
        List<java.util.concurrent.CompletableFuture<ChatResponse>> answers = questions.stream()
                .map(q -> java.util.concurrent.CompletableFuture.supplyAsync(() -> m.call(new Prompt(q, options))))
                .toList();
        int generated = 0;
        for (int i = 0; i < questions.size(); i++) {
            ChatResponse r = answers.get(i).get(60, TimeUnit.SECONDS);
            generated += r.getMetadata().getUsage().getCompletionTokens();
            GenerationResult alone = bolmo.chat(BolmoChatModel.toChatMessages(new Prompt(questions.get(i))
                    .getInstructions()), options.toGenerationOptions(), io.bolmo.generate.GenerationListener.NONE);
            assertThat(r.getResult().getOutput().getText()).as("answer %d", i).isEqualTo(alone.text());
        }
        assertThat(scheduler.steps() - stepsBefore).as("shared steps for %d generated bytes", generated)
                .isLessThan(generated);
    }

    /** The reply completes from the scheduler's future: running streams add no thread (a worker each, before). */
    @Test
    void runningStreamsHoldNoThreads() {
        BolmoChatModel m = model();
        m.call(new Prompt("warm up")); // the scheduler's thread exists from now on
        Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId)
                .collect(java.util.stream.Collectors.toSet());
        engine.stepDelayMillis = 5;
        List<Disposable> streams = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            streams.add(m.stream(new Prompt("Go " + i, BolmoChatOptions.builder().maxTokens(1_000_000).build()))
                    .subscribe());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.steps.get() > 20 && m.activeGenerations() == 4);
        List<String> added = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t.getId()))
                .map(Thread::getName).filter(n -> !n.startsWith("awaitility")).toList();
        streams.forEach(Disposable::dispose);
        assertThat(added).as("threads started while 4 streams run").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> m.activeGenerations() == 0);
    }

    @Test
    void promptOptionsAreUsedAsGivenNotMerged() {
        BolmoChatModel m = model();
        m.call(new Prompt("Hi", BolmoChatOptions.builder().maxTokens(3).build()));
        assertThat(engine.results.poll().generatedUnits()).isLessThanOrEqualTo(3);
        m.call(new Prompt("Hi"));
        // no prompt options: the model's defaults (24 bytes) apply
        GenerationResult r = engine.results.poll();
        assertThat(r.finishReason() == FinishReason.STOP || r.generatedUnits() == 24).isTrue();
    }

    @Test
    void cancellingTheStreamStopsTheEngine() throws Exception {
        BolmoChatModel m = model();
        engine.stepDelayMillis = 5;
        AtomicReference<String> first = new AtomicReference<>();
        Disposable subscription = m.stream(new Prompt("Tell me a long story",
                        BolmoChatOptions.builder().maxTokens(1_000_000).build()))
                .subscribe(c -> first.compareAndSet(null, c.getResult().getOutput().getText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.steps.get() > 5);
        assertThat(m.activeGenerations()).isEqualTo(1);
        subscription.dispose();

        GenerationResult result = engine.results.poll(5, TimeUnit.SECONDS);
        assertThat(result).as("the engine returned after dispose").isNotNull();
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(engine.running.get()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> m.activeGenerations() == 0);
        int stepsAfter = engine.steps.get();
        Thread.sleep(50);
        assertThat(engine.steps.get()).as("no decoding after cancellation").isEqualTo(stepsAfter);
    }

    @Test
    void takeOnTheStreamAlsoCancels() throws Exception {
        BolmoChatModel m = model();
        engine.stepDelayMillis = 2;
        List<ChatResponse> two = m.stream(new Prompt("Go", BolmoChatOptions.builder().maxTokens(1_000_000).build()))
                .filter(c -> !c.getResult().getOutput().getText().isEmpty())
                .take(2).collectList().block(Duration.ofSeconds(30));
        assertThat(two).hasSize(2);
        assertThat(engine.results.poll(5, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
    }

    @Test
    void timeLimitStopsTheGenerationAndFreesItsSlot() throws Exception {
        Resilience4jGenerationGuard guard = guard(1, Duration.ofMillis(300));
        BolmoChatModel m = model(guard, BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES);
        engine.stepDelayMillis = 5;
        Prompt longPrompt = new Prompt("Go on", BolmoChatOptions.builder().maxTokens(1_000_000).build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> m.call(longPrompt)).isInstanceOf(BolmoGenerationTimeoutException.class)
                .hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(engine.results.poll(1, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        // the reply comes at the time limit; the slot follows once the engine has stopped, within a step (3 s:
        // room for a loaded CI machine; without the stop the generation would run for hours)
        await().atMost(Duration.ofSeconds(3))
                .until(() -> guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 1);
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();

        // streaming: the timeout arrives as an error signal
        assertThatThrownBy(() -> m.stream(longPrompt).blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(BolmoGenerationTimeoutException.class);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 1);

        // the slot is usable again
        engine.stepDelayMillis = 0;
        assertThat(m.call(new Prompt("Hi", BolmoChatOptions.builder().maxTokens(4).build()))).isNotNull();
    }

    @Test
    void bulkheadRejectsTheExcessAtOnceWithoutCountingAFailure() throws Exception {
        Resilience4jGenerationGuard guard = guard(1, Duration.ofSeconds(30));
        BolmoChatModel m = model(guard, BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES);
        engine.stepDelayMillis = 5;
        Disposable busy = m.stream(new Prompt("Go", BolmoChatOptions.builder().maxTokens(1_000_000).build()))
                .subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> m.activeGenerations() == 1);

        assertThatThrownBy(() -> m.call(new Prompt("Hi"))).isInstanceOf(BulkheadFullException.class);
        assertThatThrownBy(() -> m.stream(new Prompt("Hi")).blockLast())
                .isInstanceOf(BulkheadFullException.class);
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();

        busy.dispose();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> guard.bulkhead().getMetrics().getAvailableConcurrentCalls() == 1);
        engine.stepDelayMillis = 0;
        assertThat(m.call(new Prompt("Hi", BolmoChatOptions.builder().maxTokens(4).build()))).isNotNull();
        assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void circuitBreakerOpensOnRepeatedEngineFailures() {
        Resilience4jGenerationGuard guard = guard(2, Duration.ofSeconds(30));
        model = BolmoChatModel.builder().guard(guard).engine(new BolmoEngine() {
            @Override
            public int promptBytes(List<io.bolmo.tokenize.ChatMessage> messages) {
                return 10;
            }

            @Override
            public java.util.concurrent.CompletableFuture<GenerationResult> submit(
                    List<io.bolmo.tokenize.ChatMessage> messages, io.bolmo.generate.GenerationOptions options,
                    io.bolmo.generate.GenerationListener listener) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("engine broke"));
            }
        }).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> model.call(new Prompt("Hi"))).hasMessage("engine broke");
        }
        assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> model.call(new Prompt("Hi"))).isInstanceOf(CallNotPermittedException.class);
        assertThat(guard.bulkhead().getMetrics().getAvailableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void observationsCarryProviderAndFeedGenAiMetrics() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry.observationConfig().observationHandler(new ChatModelMeterObservationHandler(meters))
                .observationHandler(new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
        BolmoChatModel m = model(GenerationGuard.NONE, BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES, registry);

        m.call(new Prompt("Hi", BolmoChatOptions.builder().model("tiny-olmo3").maxTokens(8).build()));
        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyRemainingCurrentObservation()
                .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME).that()
                .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "bolmo")
                .hasLowCardinalityKeyValue(LowCardinalityKeyNames.REQUEST_MODEL.asString(), "tiny-olmo3")
                .hasBeenStarted().hasBeenStopped();

        registry.clear();
        Flux<ChatResponse> stream = m.stream(new Prompt("Hi", BolmoChatOptions.builder().maxTokens(8).build()));
        stream.blockLast(Duration.ofSeconds(30));
        // doFinally stops the observation just after the last signal reached the subscriber
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                .doesNotHaveAnyRemainingCurrentObservation());
        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo(DefaultChatModelObservationConvention.DEFAULT_NAME).that()
                .hasLowCardinalityKeyValue(LowCardinalityKeyNames.AI_PROVIDER.asString(), "bolmo")
                .hasBeenStopped();

        assertThat(meters.find("gen_ai.client.token.usage").tag(LowCardinalityKeyNames.AI_PROVIDER.asString(), "bolmo").counters())
                .isNotEmpty();
        assertThat(meters.find("gen_ai.client.operation").tag(LowCardinalityKeyNames.AI_PROVIDER.asString(), "bolmo").timers()).isNotEmpty();
    }
}
