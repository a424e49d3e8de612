package io.bolmo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.spring.TestModels;
import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.spring.ai.BolmoChatOptions;
import io.bolmo.spring.ai.BolmoPromptTooLargeException;
import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

@ExtendWith(OutputCaptureExtension.class)
class BolmoChatAutoConfigurationTests {

    private static final String MODEL = "spring.ai.bolmo.chat.model-directory=" + TestModels.tinyModel();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BolmoChatAutoConfiguration.class,
                    BolmoHealthAutoConfiguration.class, BulkheadAutoConfiguration.class,
                    CircuitBreakerAutoConfiguration.class, TimeLimiterAutoConfiguration.class,
                    ToolCallingAutoConfiguration.class, ChatClientAutoConfiguration.class))
            .withPropertyValues("spring.ai.bolmo.chat.device=cpu");

    @Test
    void propertiesBecomeDefaultOptionsAndGuardSettings() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.options.temperature=0.7",
                "spring.ai.bolmo.chat.options.top-k=5", "spring.ai.bolmo.chat.options.top-p=0.9",
                "spring.ai.bolmo.chat.options.max-tokens=32", "spring.ai.bolmo.chat.options.stop-sequences=END,STOP",
                "spring.ai.bolmo.chat.options.seed=3", "spring.ai.bolmo.chat.options.boundary-bias=0.1",
                "spring.ai.bolmo.chat.options.repetition-penalty=0.75",
                "spring.ai.bolmo.chat.options.repetition-min-bytes=10", "spring.ai.bolmo.chat.options.boundaries=true",
                "spring.ai.bolmo.chat.max-concurrent-generations=3", "spring.ai.bolmo.chat.hold-steps=4",
                "spring.ai.bolmo.chat.generation-timeout=5s").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(BolmoChatModel.class).hasSingleBean(Bolmo.class);
                    BolmoChatProperties props = context.getBean(BolmoChatProperties.class);
                    BolmoChatOptions expected = BolmoChatOptions.builder().model("tiny-olmo3").temperature(0.7).topK(5)
                            .topP(0.9).maxTokens(32).stopSequences(List.of("END", "STOP")).seed(3L)
                            .boundaryBias(0.1).repetitionPenalty(0.75).repetitionMinBytes(10).boundaries(true).build();
                    assertThat(props.getOptions()).isEqualTo(expected.mutate().model(null).build());
                    assertThat(props.deprecatedKeys()).isEmpty();
                    assertThat(context.getBean(BolmoChatModel.class).getOptions()).isEqualTo(expected);

                    Resilience4jGenerationGuard guard = context.getBean(Resilience4jGenerationGuard.class);
                    assertThat(guard.bulkhead().getName()).isEqualTo("bolmo");
                    assertThat(guard.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(3);
                    assertThat(guard.bulkhead().getBulkheadConfig().getMaxWaitDuration()).isZero();
                    assertThat(guard.timeout()).isEqualTo(Duration.ofSeconds(5));
                    // the bulkhead bounds the batch: every admitted generation has a slot in the scheduler
                    assertThat(context.getBean(BolmoScheduler.class).options())
                            .isEqualTo(new BolmoScheduler.Options(3, 0, 4));
                });
    }

    /** The keys of 0.1 still start the application, with the same options and a warning per key in the log. */
    @Test
    void oldFlatOptionKeysStillWorkWithADeprecationWarning(CapturedOutput output) {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.temperature=0.7", "spring.ai.bolmo.chat.top-k=5",
                "spring.ai.bolmo.chat.top-p=0.9", "spring.ai.bolmo.chat.max-tokens=32",
                "spring.ai.bolmo.chat.stop-sequences=END,STOP", "spring.ai.bolmo.chat.seed=3",
                "spring.ai.bolmo.chat.boundary-bias=0.1", "spring.ai.bolmo.chat.model=old-name").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(BolmoChatModel.class).getOptions()).isEqualTo(BolmoChatOptions
                            .builder().model("old-name").temperature(0.7).topK(5).topP(0.9).maxTokens(32)
                            .stopSequences(List.of("END", "STOP")).seed(3L).boundaryBias(0.1).build());
                    assertThat(context.getBean(BolmoChatProperties.class).deprecatedKeys()).containsExactlyInAnyOrder(
                            "temperature", "top-k", "top-p", "max-tokens", "stop-sequences", "seed",
                            "boundary-bias", "model");
                });
        assertThat(output).contains("spring.ai.bolmo.chat.max-tokens is deprecated and will be removed: use "
                + "spring.ai.bolmo.chat.options.max-tokens")
                .contains("spring.ai.bolmo.chat.stop-sequences is deprecated");
        // both forms set: the new one wins, field by field
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-tokens=32", "spring.ai.bolmo.chat.seed=3",
                "spring.ai.bolmo.chat.options.max-tokens=8").run(context -> {
                    BolmoChatOptions o = (BolmoChatOptions) context.getBean(BolmoChatModel.class).getOptions();
                    assertThat(o.getMaxTokens()).isEqualTo(8);
                    assertThat(o.getSeed()).isEqualTo(3L);
                });
    }

    @Test
    void defaultsWork() {
        runner.withPropertyValues(MODEL).run(context -> {
            assertThat(context).hasNotFailed();
            Resilience4jGenerationGuard guard = context.getBean(Resilience4jGenerationGuard.class);
            assertThat(guard.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(2);
            assertThat(guard.timeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(guard.circuitBreaker().getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(5);
            assertThat(guard.maxPromptBytesInFlight()).isEqualTo(2L * BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES);
            assertThat(context.getBean(BolmoChatModel.class).getOptions().getModel()).isEqualTo("tiny-olmo3");
            assertThat(context.getBean(BolmoChatProperties.class).getOptions()).isNull();
            assertThat(context.getBean(BolmoScheduler.class).options().holdSteps()).isZero();
        });
    }

    @Test
    void promptLimitsComeFromTheProperties() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-prompt-bytes=100",
                "spring.ai.bolmo.chat.max-concurrent-prompt-bytes=150").run(context -> {
                    assertThat(context.getBean(Resilience4jGenerationGuard.class).maxPromptBytesInFlight())
                            .isEqualTo(150);
                    BolmoChatModel model = context.getBean(BolmoChatModel.class);
                    assertThatThrownBy(() -> model.call(new Prompt("x".repeat(100))))
                            .isInstanceOf(BolmoPromptTooLargeException.class).hasMessageContaining("at most 100");
                });
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-prompt-bytes=100").run(context -> assertThat(
                context.getBean(Resilience4jGenerationGuard.class).maxPromptBytesInFlight()).isEqualTo(200));
    }

    @Test
    void standardResilience4jPropertiesWin() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-concurrent-generations=3",
                "resilience4j.bulkhead.instances.bolmo.max-concurrent-calls=7",
                "resilience4j.timelimiter.instances.bolmo.timeout-duration=2s",
                "resilience4j.circuitbreaker.instances.bolmo.minimum-number-of-calls=42").run(context -> {
                    Resilience4jGenerationGuard guard = context.getBean(Resilience4jGenerationGuard.class);
                    assertThat(guard.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(7);
                    assertThat(context.getBean(BolmoScheduler.class).options().maxBatch()).isEqualTo(7);
                    assertThat(guard.timeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(guard.circuitBreaker().getCircuitBreakerConfig().getMinimumNumberOfCalls())
                            .isEqualTo(42);
                });
    }

    @Test
    void chatClientWorksThroughTheAutoConfiguredModel() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-tokens=6").run(context -> {
            ChatClient client = context.getBean(ChatClient.Builder.class).build();
            ChatResponse r = client.prompt().user("Hi").call().chatResponse();
            assertThat(r.getMetadata().getUsage().getCompletionTokens()).isLessThanOrEqualTo(6);
            assertThat(r.getMetadata().getModel()).isEqualTo("tiny-olmo3");
        });
    }

    @Test
    void activeWhenSelectorIsBolmoOrUnset_inactiveForAnotherProvider() {
        runner.withPropertyValues(MODEL, "spring.ai.model.chat=bolmo")
                .run(context -> assertThat(context).hasSingleBean(BolmoChatModel.class));
        runner.withPropertyValues(MODEL, "spring.ai.model.chat=openai").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(ChatModel.class).doesNotHaveBean(Bolmo.class));
    }

    @Test
    void backsOffWhenTheApplicationHasItsOwnChatModel() {
        // no model directory on purpose: backing off must not even try to load a model
        runner.withUserConfiguration(OwnChatModel.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ChatModel.class).doesNotHaveBean(BolmoChatModel.class)
                    .doesNotHaveBean(Bolmo.class).doesNotHaveBean(BolmoHealthIndicator.class);
            assertThat(context.getBean(ChatModel.class)).isSameAs(OwnChatModel.MODEL);
        });
    }

    @Test
    void healthReportsModelDeviceAndParameters() {
        runner.withPropertyValues(MODEL).run(context -> {
            Health health = context.getBean(BolmoHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("modelLoaded", true).containsKeys("device", "parameters");
            assertThat((Long) health.getDetails().get("parameters")).isPositive();
        });
        runner.withPropertyValues(MODEL, "management.health.bolmo.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(BolmoHealthIndicator.class));
    }

    @Test
    void shutdownStopsRunningGenerationsBeforeTheModelIsFreed() {
        runner.withPropertyValues(MODEL).run(context -> {
            BolmoChatModel model = context.getBean(BolmoChatModel.class);
            Disposable endless = model.stream(new Prompt("Go", BolmoChatOptions.builder().maxTokens(10_000_000)
                    .build())).subscribe(r -> {}, e -> {});
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> model.activeGenerations() == 1);
            context.close();
            assertThat(model.activeGenerations()).isZero();
            endless.dispose();
        });
    }

    @Test
    void withoutAModelDirectoryTheBundledSmallModelIsServed() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(io.bolmo.Bolmo.class).directory())
                    .isEqualTo(io.bolmo.models.SmallModel.bolmo());
            String answer = context.getBean(ChatModel.class).call("The European Parliament");
            assertThat(answer).isNotBlank().doesNotContain("\uFFFD");
        });
    }

    @Test
    void missingModelDirectoryFailsStartupNamingTheProperty() {
        runner.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
                io.bolmo.models.SmallModel.class)).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("spring.ai.bolmo.chat.model-directory").hasMessageContaining("must be set")
                .hasMessageContaining("io.bolmo:bolmo-small-model"));
        runner.withPropertyValues("spring.ai.bolmo.chat.model-directory=/no/such/model").run(context -> assertThat(
                context).getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.model-directory")
                .hasMessageContaining("/no/such/model"));
    }

    @Test
    void invalidModelDirectoryFailsStartupNamingTheProperty(@TempDir Path dir) throws Exception {
        runner.withPropertyValues("spring.ai.bolmo.chat.model-directory=" + dir).run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.model-directory")
                .hasMessageContaining("config.json"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bolmo\"}");
        runner.withPropertyValues("spring.ai.bolmo.chat.model-directory=" + dir).run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.model-directory")
                .hasMessageContaining("could not be loaded"));
    }

    @Test
    void theWeightFormatAndEngineAreChosenByProperties() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.engine=java", "spring.ai.bolmo.chat.dtype=bf16",
                "spring.ai.bolmo.chat.threads=1").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Bolmo.class).engine().describe()).startsWith("java cpu bf16");
                });
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.engine=djl").run(context ->
                assertThat(context.getBean(Bolmo.class).engine().describe()).startsWith("djl cpu"));
    }

    @Test
    void otherBadSettingsNameTheirProperty() {
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.dtype=int4").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.dtype")
                .hasMessageContaining("int4").hasMessageContaining("f32, bf16, q8_0, q4_0"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.engine=onnx").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.engine")
                .hasMessageContaining("onnx").hasMessageContaining("auto, java, djl"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.threads=-1").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.threads"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.engine=djl", "spring.ai.bolmo.chat.dtype=bf16").run(
                context -> assertThat(context).getFailure().rootCause().hasMessageContaining("bf16"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.device=tpu").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.device")
                .hasMessageContaining("tpu"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-concurrent-generations=0").run(
                context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("spring.ai.bolmo.chat.max-concurrent-generations"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.hold-steps=-1").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.hold-steps")
                .hasMessageContaining("-1").hasMessageContaining("at least 0"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.top-p=2").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("topP = 2.0"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.options.top-p=2").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("Failed to bind properties under 'spring.ai.bolmo.chat.options'")
                .rootCause().hasMessageContaining("topP = 2.0"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-prompt-bytes=0").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.max-prompt-bytes"));
        runner.withPropertyValues(MODEL, "spring.ai.bolmo.chat.max-prompt-bytes=100",
                "spring.ai.bolmo.chat.max-concurrent-prompt-bytes=50").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("spring.ai.bolmo.chat.max-concurrent-prompt-bytes")
                .hasMessageContaining("at least spring.ai.bolmo.chat.max-prompt-bytes (100)"));
    }

    @Test
    void configurationMetadataIsGeneratedForIdes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("spring.ai.bolmo.chat.model-directory", "spring.ai.bolmo.chat.options.max-tokens",
                    "spring.ai.bolmo.chat.generation-timeout", "spring.ai.bolmo.chat.max-concurrent-generations",
                    "spring.ai.bolmo.chat.hold-steps",
                    "spring.ai.bolmo.chat.max-prompt-bytes", "spring.ai.bolmo.chat.max-concurrent-prompt-bytes",
                    "UTF-8 bytes", "spring.ai.bolmo.chat.options.repetition-penalty",
                    "spring.ai.bolmo.chat.options.repetition-min-bytes", "spring.ai.bolmo.chat.options.boundaries");
            JsonNode properties = new ObjectMapper().readTree(json).get("properties");
            Map<String, JsonNode> byName = new HashMap<>();
            properties.forEach(p -> byName.put(p.get("name").asString(), p));
            for (String key : List.of("model", "temperature", "top-k", "top-p", "max-tokens", "stop-sequences", "seed",
                    "boundary-bias")) {
                assertThat(byName).containsKey("spring.ai.bolmo.chat.options." + key);
                assertThat(byName.get("spring.ai.bolmo.chat.options." + key).has("deprecation")).isFalse();
                JsonNode old = byName.get("spring.ai.bolmo.chat." + key);
                assertThat(old).as("old key %s", key).isNotNull();
                assertThat(old.get("deprecation").get("replacement").asString())
                        .isEqualTo("spring.ai.bolmo.chat.options." + key);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChatModel {
        static final ChatModel MODEL = prompt -> new ChatResponse(List.of());

        @Bean
        ChatModel myChatModel() {
            return MODEL;
        }
    }
}
