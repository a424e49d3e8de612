package io.bolmo.spring.autoconfigure;

import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.EngineKind;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.Bolmo;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.spring.ai.BolmoChatOptions;
import io.bolmo.spring.ai.BolmoEngine;
import io.bolmo.spring.ai.GenerationGuard;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationConvention;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures a {@link BolmoChatModel} from {@code spring.ai.bolmo.chat.*}, guarded by the Resilience4j
 * instances named {@value #RESILIENCE_NAME}. Active when {@code spring.ai.model.chat} is {@code bolmo} or unset;
 * backs off (and loads no model) when the application defines its own {@link ChatModel}.
 */
@AutoConfiguration(beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration",
        afterName = {"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
                "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
                "io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration"})
@ConditionalOnClass({Bolmo.class, BolmoChatModel.class})
@ConditionalOnProperty(name = SpringAIModelProperties.CHAT_MODEL, havingValue = BolmoChatModel.PROVIDER,
        matchIfMissing = true)
@EnableConfigurationProperties(BolmoChatProperties.class)
public class BolmoChatAutoConfiguration {

    /** Name of the Resilience4j bulkhead, circuit breaker and time limiter instances. */
    public static final String RESILIENCE_NAME = "bolmo";

    static final String MODEL_DIRECTORY = BolmoChatProperties.PREFIX + ".model-directory";
    static final String SMALL_MODEL = "io.bolmo.models.SmallModel";
    private static final Logger LOG = LoggerFactory.getLogger(BolmoChatAutoConfiguration.class);
    static final String DEVICE = BolmoChatProperties.PREFIX + ".device";
    static final String DTYPE = BolmoChatProperties.PREFIX + ".dtype";
    static final String ENGINE = BolmoChatProperties.PREFIX + ".engine";
    static final String THREADS = BolmoChatProperties.PREFIX + ".threads";
    static final String TOKENIZER = BolmoChatProperties.PREFIX + ".tokenizer";
    static final String MAX_PROMPT_BYTES = BolmoChatProperties.PREFIX + ".max-prompt-bytes";
    static final String MAX_CONCURRENT_PROMPT_BYTES = BolmoChatProperties.PREFIX + ".max-concurrent-prompt-bytes";
    static final String NATIVE_STRUCTURED_OUTPUT = BolmoChatProperties.PREFIX + ".native-structured-output";

    @Bean
    @ConditionalOnMissingBean({Bolmo.class, ChatModel.class})
    public Bolmo bolmo(BolmoChatProperties properties, ResourceLoader resourceLoader) {
        return loadModel(properties, resourceLoader.getClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean({GenerationGuard.class, ChatModel.class})
    public Resilience4jGenerationGuard bolmoGenerationGuard(BolmoChatProperties properties,
            ObjectProvider<BulkheadRegistry> bulkheads, ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
            ObjectProvider<TimeLimiterRegistry> timeLimiters) {
        return new Resilience4jGenerationGuard(
                circuitBreaker(circuitBreakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults)),
                bulkhead(bulkheads.getIfAvailable(BulkheadRegistry::ofDefaults), properties),
                timeLimiter(timeLimiters.getIfAvailable(TimeLimiterRegistry::ofDefaults), properties),
                maxConcurrentPromptBytes(properties));
    }

    /**
     * Decodes the concurrent generations together. Its batch is as large as the bulkhead lets generations in, so
     * every admitted request gets a slot at once and the bulkhead alone decides who is rejected; rows at a patch
     * boundary wait up to hold-steps steps for each other.
     */
    @Bean
    @ConditionalOnMissingBean({BolmoScheduler.class, ChatModel.class})
    public BolmoScheduler bolmoScheduler(Bolmo bolmo, BolmoChatProperties properties, GenerationGuard guard) {
        return bolmo.scheduler(new BolmoScheduler.Options(maxBatch(guard, properties), 0, holdSteps(properties)));
    }

    private static int holdSteps(BolmoChatProperties properties) {
        int steps = properties.getHoldSteps();
        if (steps < 0) {
            throw new InvalidConfigurationPropertyValueException(BolmoChatProperties.PREFIX + ".hold-steps", steps,
                    "it must be at least 0 (0 = a generation at a patch boundary never waits)");
        }
        return steps;
    }

    static int maxBatch(GenerationGuard guard, BolmoChatProperties properties) {
        return guard instanceof Resilience4jGenerationGuard r ? r.bulkhead().getBulkheadConfig().getMaxConcurrentCalls()
                : maxConcurrentGenerations(properties);
    }

    private static int maxConcurrentGenerations(BolmoChatProperties properties) {
        int max = properties.getMaxConcurrentGenerations();
        if (max < 1) {
            throw new InvalidConfigurationPropertyValueException(
                    BolmoChatProperties.PREFIX + ".max-concurrent-generations", max, "it must be at least 1");
        }
        return max;
    }

    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    public BolmoChatModel bolmoChatModel(Bolmo bolmo, BolmoScheduler scheduler, BolmoChatProperties properties,
            GenerationGuard guard,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ChatModelObservationConvention> observationConvention,
            ObjectProvider<ToolCallingManager> toolCallingManager) {
        BolmoChatModel model = BolmoChatModel.builder()
                .toolCallingManager(toolCallingManager.getIfUnique(() -> ToolCallingManager.builder().build()))
                .engine(BolmoEngine.of(bolmo, scheduler))
                .defaultOptions(defaultOptions(properties, bolmo.directory()))
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
                .guard(guard)
                .maxPromptBytes(maxPromptBytes(properties))
                .build();
        observationConvention.ifAvailable(model::setObservationConvention);
        return model;
    }

    /**
     * Makes {@code chatClient.prompt()...call().entity(MyRecord.class)} send the record's JSON schema to Bolmo as an
     * output schema (Spring AI's provider-native structured output), so the reply is decoded under it and always
     * parses, instead of appending the schema to the prompt as text. Registered only when the chat model is Bolmo;
     * {@code spring.ai.bolmo.chat.native-structured-output=false} turns it off, and a request can opt out with the
     * advisor parameter {@code spring.ai.chat.client.structured.output.native = false}.
     */
    @Bean
    @ConditionalOnBean(BolmoChatModel.class)
    @ConditionalOnProperty(name = NATIVE_STRUCTURED_OUTPUT, havingValue = "true", matchIfMissing = true)
    public ChatClientBuilderCustomizer bolmoNativeStructuredOutput() {
        return builder -> builder.defaultAdvisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT);
    }

    /** {@code options.*} (and the deprecated flat keys, each logged); the model is named after its directory. */
    static BolmoChatOptions defaultOptions(BolmoChatProperties properties, Path modelDirectory) {
        for (String key : properties.deprecatedKeys()) {
            LOG.warn("{}.{} is deprecated and will be removed: use {}.options.{}", BolmoChatProperties.PREFIX, key,
                    BolmoChatProperties.PREFIX, key);
        }
        BolmoChatOptions options = properties.defaultOptions();
        if (options.getModel() != null) {
            return options;
        }
        return options.mutate().model(modelDirectory.toAbsolutePath().normalize().getFileName().toString()).build();
    }

    static int maxPromptBytes(BolmoChatProperties properties) {
        int max = properties.getMaxPromptBytes();
        if (max < 1) {
            throw new InvalidConfigurationPropertyValueException(MAX_PROMPT_BYTES, max, "it must be at least 1");
        }
        return max;
    }

    /** Unset: room for two prompts of the largest size; never less than one. */
    static long maxConcurrentPromptBytes(BolmoChatProperties properties) {
        int perPrompt = maxPromptBytes(properties);
        Integer max = properties.getMaxConcurrentPromptBytes();
        if (max == null) {
            return 2L * perPrompt;
        }
        if (max < perPrompt) {
            throw new InvalidConfigurationPropertyValueException(MAX_CONCURRENT_PROMPT_BYTES, max,
                    "it must be at least " + MAX_PROMPT_BYTES + " (" + perPrompt + "), or no prompt of that size "
                            + "could ever be admitted");
        }
        return max;
    }

    /** Configured {@code resilience4j.bulkhead.instances.bolmo} wins; else a no-wait bulkhead of the property's size. */
    static Bulkhead bulkhead(BulkheadRegistry registry, BolmoChatProperties properties) {
        int max = maxConcurrentGenerations(properties);
        return registry.find(RESILIENCE_NAME).orElseGet(() -> registry.bulkhead(RESILIENCE_NAME,
                BulkheadConfig.custom().maxConcurrentCalls(max).maxWaitDuration(Duration.ZERO).build()));
    }

    /**
     * Resilience4j's own defaults need 100 calls before the breaker can open; a model that keeps failing should be
     * cut off sooner, so the fallback opens at 50% failures over the last 10 calls (at least 5).
     */
    static CircuitBreaker circuitBreaker(CircuitBreakerRegistry registry) {
        return registry.find(RESILIENCE_NAME).orElseGet(() -> registry.circuitBreaker(RESILIENCE_NAME,
                CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(2)
                        .build()));
    }

    static TimeLimiter timeLimiter(TimeLimiterRegistry registry, BolmoChatProperties properties) {
        Duration timeout = properties.getGenerationTimeout();
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(BolmoChatProperties.PREFIX + ".generation-timeout",
                    timeout, "it must be a positive duration such as 60s");
        }
        return registry.find(RESILIENCE_NAME).orElseGet(() -> registry.timeLimiter(RESILIENCE_NAME,
                TimeLimiterConfig.custom().timeoutDuration(timeout).build()));
    }

    /** Checks every setting first, so a bad one fails startup with its property name rather than a stack trace. */
    static Bolmo loadModel(BolmoChatProperties p, ClassLoader classLoader) {
        LoadOptions load = loadOptions(p);
        String dirValue = p.getModelDirectory();
        if (dirValue == null || dirValue.isBlank()) {
            if (!ClassUtils.isPresent(SMALL_MODEL, classLoader)) {
                throw new InvalidConfigurationPropertyValueException(MODEL_DIRECTORY, dirValue,
                        "it must be set to a Bolmo model directory (config.json and model.safetensors), or add "
                                + "io.bolmo:bolmo-small-model to serve the bundled small model");
            }
            dirValue = BundledModel.directory().toString();
            LOG.info("{} is not set: serving the bundled small model from {}", MODEL_DIRECTORY, dirValue);
        }
        Path dir = path(MODEL_DIRECTORY, dirValue);
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigurationPropertyValueException(MODEL_DIRECTORY, dirValue,
                    "no directory at " + dir.toAbsolutePath());
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new InvalidConfigurationPropertyValueException(MODEL_DIRECTORY, dirValue,
                    "it has no config.json, so it is not a Hugging Face model directory");
        }
        Path tokenizer = null;
        if (p.getTokenizer() != null && !p.getTokenizer().isBlank()) {
            tokenizer = path(TOKENIZER, p.getTokenizer());
            if (!Files.exists(tokenizer)) {
                throw new InvalidConfigurationPropertyValueException(TOKENIZER, p.getTokenizer(),
                        "no file at " + tokenizer.toAbsolutePath());
            }
        }
        preferOfflineNatives();
        Bolmo.Options options = Bolmo.Options.defaults().withLoad(load).withTokenizer(tokenizer);
        try {
            return Bolmo.load(dir, options);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationPropertyValueException(MODEL_DIRECTORY, dirValue,
                    "the model could not be loaded: " + e.getMessage());
        }
    }

    /** device, dtype, engine and threads, each checked on its own so that an error names its property. */
    static LoadOptions loadOptions(BolmoChatProperties p) {
        LoadOptions load = LoadOptions.defaults();
        try {
            load = load.withDevice(DeviceSpec.parse(p.getDevice()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(DEVICE, p.getDevice(), e.getMessage());
        }
        try {
            load = load.withDtype(WeightFormat.parse(p.getDtype()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(DTYPE, p.getDtype(), e.getMessage());
        }
        try {
            load = load.withEngine(EngineKind.parse(p.getEngine()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(ENGINE, p.getEngine(), e.getMessage());
        }
        if (p.getThreads() < 0) {
            throw new InvalidConfigurationPropertyValueException(THREADS, p.getThreads(),
                    "it must be >= 0 (0: one per core)");
        }
        return load.withThreads(p.getThreads());
    }

    /** Only loaded when bolmo-small-model is on the class path. */
    private static final class BundledModel {
        static Path directory() {
            return io.bolmo.models.SmallModel.bolmo();
        }
    }

    private static Path path(String property, String value) {
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, "not a valid path: " + e.getMessage());
        }
    }

    /** The native libraries ship in the jars; a server must never try to download them at startup. */
    private static void preferOfflineNatives() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
