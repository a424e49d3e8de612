package io.bolmo.spring.autoconfigure;

import io.bolmo.spring.ai.BolmoChatModel;
import io.bolmo.spring.ai.BolmoChatOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Bolmo chat model settings, under {@code spring.ai.bolmo.chat}: where the model is, how much work one request and
 * all requests together may ask for, and, under {@code options.*}, the default options of every request (nested
 * the way Spring AI's own model starters do). The flat option keys of 0.1 ({@code spring.ai.bolmo.chat.max-tokens}
 * and so on) are still read, logged and reported as deprecated; an {@code options.*} key wins over its old form.
 */
@ConfigurationProperties(prefix = BolmoChatProperties.PREFIX)
public class BolmoChatProperties {

    public static final String PREFIX = "spring.ai.bolmo.chat";

    /**
     * Directory of the Bolmo model in Hugging Face layout (config.json and model.safetensors). Unset: the bundled
     * small model when io.bolmo:bolmo-small-model is on the class path, else startup fails naming this property.
     */
    private String modelDirectory;

    /**
     * Subword vocabulary file (tokenizer.json or vocabulary JSON); unset finds it from the model directory.
     */
    private String tokenizer;

    /**
     * Where the model runs: auto (GPU when one is visible, else CPU), cpu, gpu or gpu:N.
     */
    private String device = "auto";

    /**
     * Weight format: f32 (float32), bf16 (bfloat16; half the memory, bits per byte within 0.01 of f32 on the shipped
     * model), q8_0 (8-bit blocks; a quarter of the memory) or q4_0 (4-bit blocks; an eighth, for Bolmo-7B on 16 GB
     * machines). bf16, q8_0 and q4_0 need the Java engine.
     */
    private String dtype = "f32";

    /**
     * Engine: auto (the Java Vector API engine on a CPU when the JVM runs with --add-modules jdk.incubator.vector,
     * DJL/PyTorch on a GPU or without the module), java, or djl (float32 only).
     */
    private String engine = "auto";

    /**
     * Threads of the Java engine's matrix kernels (0: one per core). DJL's are set by ai.djl.pytorch.num_threads.
     */
    private int threads = 0;

    /**
     * Generations allowed to run at once; more are rejected at once, never queued. Used for the "bolmo" bulkhead
     * unless resilience4j.bulkhead.instances.bolmo is configured.
     */
    private int maxConcurrentGenerations = 2;

    /**
     * Steps a generation whose next byte ends a patch may wait for the others to reach a boundary too, so that the
     * global transformer runs on more of them at once; answers do not change, only when each byte arrives. 0 (the
     * default) never waits: right for the small model, where waiting cost throughput. On Bolmo-1B with 8 concurrent
     * generations, 2-4 raised the total bytes per second by a quarter to a third (docs/benchmarks.md). Must be at
     * least 0.
     */
    private int holdSteps = 0;

    /**
     * Longest a generation may run, counted from its admission (so prefill included), before it is stopped and
     * answered with a timeout; its slot is freed once the engine has stopped. Used for the "bolmo" time limiter
     * unless resilience4j.timelimiter.instances.bolmo is configured. Must be positive.
     */
    private Duration generationTimeout = Duration.ofSeconds(60);

    /**
     * Longest whole prompt in UTF-8 bytes: every message of a request after the chat template. A longer request is
     * refused before any work. Prefill time and memory grow with the prompt, so this bounds what one request costs.
     */
    private int maxPromptBytes = BolmoChatModel.DEFAULT_MAX_PROMPT_BYTES;

    /**
     * Most prompt bytes of all generations admitted and not yet stopped (being prefilled or decoded); a request that
     * would exceed it is rejected at once like a full bulkhead. Unset: twice max-prompt-bytes. Must be at least
     * max-prompt-bytes.
     */
    private Integer maxConcurrentPromptBytes;

    /**
     * Whether ChatClient's entity(...) sends the target type's JSON schema to Bolmo, which then decodes the reply
     * under it (always valid JSON of that shape), rather than appending the schema to the prompt as text.
     */
    private boolean nativeStructuredOutput = true;

    /**
     * Default options of every request; a request's own options replace them (ChatClient merges the two).
     */
    @NestedConfigurationProperty
    private BolmoChatOptions options;

    // The flat option keys of 0.1, kept so that old configurations still start. Remove in 1.0.
    private String model;
    private Double temperature;
    private Integer topK;
    private Double topP;
    private Integer maxTokens;
    private List<String> stopSequences;
    private Long seed;
    private Double boundaryBias;
    private final Set<String> deprecatedKeys = new TreeSet<>();

    /**
     * The default options: {@code options.*}, with a deprecated flat key filling a field that {@code options.*}
     * leaves unset.
     */
    public BolmoChatOptions defaultOptions() {
        BolmoChatOptions.Builder b = BolmoChatOptions.builder().model(model).temperature(temperature).topK(topK)
                .topP(topP).maxTokens(maxTokens).stopSequences(stopSequences).seed(seed).boundaryBias(boundaryBias);
        return options == null ? b.build() : b.combineWith(options.mutate()).build();
    }

    /** The deprecated flat keys this configuration sets, e.g. {@code max-tokens}. */
    public Set<String> deprecatedKeys() {
        return Set.copyOf(deprecatedKeys);
    }

    public String getModelDirectory() {
        return modelDirectory;
    }

    public void setModelDirectory(String modelDirectory) {
        this.modelDirectory = modelDirectory;
    }

    public String getTokenizer() {
        return tokenizer;
    }

    public void setTokenizer(String tokenizer) {
        this.tokenizer = tokenizer;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }

    public String getDtype() {
        return dtype;
    }

    public void setDtype(String dtype) {
        this.dtype = dtype;
    }

    public String getEngine() {
        return engine;
    }

    public void setEngine(String engine) {
        this.engine = engine;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getMaxConcurrentGenerations() {
        return maxConcurrentGenerations;
    }

    public void setMaxConcurrentGenerations(int maxConcurrentGenerations) {
        this.maxConcurrentGenerations = maxConcurrentGenerations;
    }

    public int getHoldSteps() {
        return holdSteps;
    }

    public void setHoldSteps(int holdSteps) {
        this.holdSteps = holdSteps;
    }

    public Duration getGenerationTimeout() {
        return generationTimeout;
    }

    public void setGenerationTimeout(Duration generationTimeout) {
        this.generationTimeout = generationTimeout;
    }

    public int getMaxPromptBytes() {
        return maxPromptBytes;
    }

    public void setMaxPromptBytes(int maxPromptBytes) {
        this.maxPromptBytes = maxPromptBytes;
    }

    public Integer getMaxConcurrentPromptBytes() {
        return maxConcurrentPromptBytes;
    }

    public void setMaxConcurrentPromptBytes(Integer maxConcurrentPromptBytes) {
        this.maxConcurrentPromptBytes = maxConcurrentPromptBytes;
    }

    public boolean isNativeStructuredOutput() {
        return nativeStructuredOutput;
    }

    public void setNativeStructuredOutput(boolean nativeStructuredOutput) {
        this.nativeStructuredOutput = nativeStructuredOutput;
    }

    public BolmoChatOptions getOptions() {
        return options;
    }

    public void setOptions(BolmoChatOptions options) {
        this.options = options;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.model", since = "0.2.0")
    public String getModel() {
        return model;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setModel(String model) {
        this.model = deprecated("model", model);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.temperature", since = "0.2.0")
    public Double getTemperature() {
        return temperature;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setTemperature(Double temperature) {
        this.temperature = deprecated("temperature", temperature);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.top-k", since = "0.2.0")
    public Integer getTopK() {
        return topK;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setTopK(Integer topK) {
        this.topK = deprecated("top-k", topK);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.top-p", since = "0.2.0")
    public Double getTopP() {
        return topP;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setTopP(Double topP) {
        this.topP = deprecated("top-p", topP);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.max-tokens", since = "0.2.0")
    public Integer getMaxTokens() {
        return maxTokens;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = deprecated("max-tokens", maxTokens);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.stop-sequences", since = "0.2.0")
    public List<String> getStopSequences() {
        return stopSequences;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setStopSequences(List<String> stopSequences) {
        this.stopSequences = deprecated("stop-sequences", stopSequences);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.seed", since = "0.2.0")
    public Long getSeed() {
        return seed;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setSeed(Long seed) {
        this.seed = deprecated("seed", seed);
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    @DeprecatedConfigurationProperty(replacement = PREFIX + ".options.boundary-bias", since = "0.2.0")
    public Double getBoundaryBias() {
        return boundaryBias;
    }

    @Deprecated(since = "0.2.0", forRemoval = true)
    public void setBoundaryBias(Double boundaryBias) {
        this.boundaryBias = deprecated("boundary-bias", boundaryBias);
    }

    private <T> T deprecated(String key, T value) {
        if (value != null) {
            deprecatedKeys.add(key);
        }
        return value;
    }
}
