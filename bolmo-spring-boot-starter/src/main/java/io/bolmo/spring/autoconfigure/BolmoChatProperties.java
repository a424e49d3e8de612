package io.bolmo.spring.autoconfigure;

import io.bolmo.spring.ai.BolmoChatOptions;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bolmo chat model settings, under {@code spring.ai.bolmo.chat}. The default generation options are flat (Spring
 * AI 2.0 style); unset ones keep the engine's defaults (greedy, 256 bytes).
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
     * Weight data type. Only float32 is supported for now.
     */
    private String dtype = "float32";

    /**
     * Name reported as the model in responses and observations; defaults to the model directory's name.
     */
    private String model;

    /**
     * Generations allowed to run at once; more are rejected at once, never queued. Used for the "bolmo" bulkhead
     * unless resilience4j.bulkhead.instances.bolmo is configured.
     */
    private int maxConcurrentGenerations = 2;

    /**
     * Longest a generation may run before it is stopped and its slot freed. Used for the "bolmo" time limiter
     * unless resilience4j.timelimiter.instances.bolmo is configured. Must be positive.
     */
    private Duration generationTimeout = Duration.ofSeconds(60);

    /**
     * Default sampling temperature; 0 = greedy (the engine default).
     */
    private Double temperature;

    /**
     * Default top-k (0 = off).
     */
    private Integer topK;

    /**
     * Default top-p in (0, 1] (1 = off).
     */
    private Double topP;

    /**
     * Default most new bytes per answer. Bolmo is byte-level: its "tokens" are UTF-8 bytes.
     */
    private Integer maxTokens;

    /**
     * Default stop sequences (the chat template's end-of-turn marker is always added).
     */
    private List<String> stopSequences;

    /**
     * Default sampling seed; unset draws a fresh one per request.
     */
    private Long seed;

    /**
     * Default boundary bias added to every "byte ends a patch" logit: positive gives shorter patches, negative
     * longer (faster) ones.
     */
    private Double boundaryBias;

    /** The default options for the chat model; the model name falls back to {@code modelName}. */
    public BolmoChatOptions toOptions(String modelName) {
        return BolmoChatOptions.builder().model(model != null ? model : modelName).temperature(temperature)
                .topK(topK).topP(topP).maxTokens(maxTokens).stopSequences(stopSequences).seed(seed)
                .boundaryBias(boundaryBias).build();
    }

    public BolmoChatOptions toOptions() {
        return toOptions(null);
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

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public int getMaxConcurrentGenerations() {
        return maxConcurrentGenerations;
    }

    public void setMaxConcurrentGenerations(int maxConcurrentGenerations) {
        this.maxConcurrentGenerations = maxConcurrentGenerations;
    }

    public Duration getGenerationTimeout() {
        return generationTimeout;
    }

    public void setGenerationTimeout(Duration generationTimeout) {
        this.generationTimeout = generationTimeout;
    }

    public Double getTemperature() {
        return temperature;
    }

    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    public Integer getTopK() {
        return topK;
    }

    public void setTopK(Integer topK) {
        this.topK = topK;
    }

    public Double getTopP() {
        return topP;
    }

    public void setTopP(Double topP) {
        this.topP = topP;
    }

    public Integer getMaxTokens() {
        return maxTokens;
    }

    public void setMaxTokens(Integer maxTokens) {
        this.maxTokens = maxTokens;
    }

    public List<String> getStopSequences() {
        return stopSequences;
    }

    public void setStopSequences(List<String> stopSequences) {
        this.stopSequences = stopSequences;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Double getBoundaryBias() {
        return boundaryBias;
    }

    public void setBoundaryBias(Double boundaryBias) {
        this.boundaryBias = boundaryBias;
    }
}
