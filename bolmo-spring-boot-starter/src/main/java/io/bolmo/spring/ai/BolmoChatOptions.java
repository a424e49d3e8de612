package io.bolmo.spring.ai;

import io.bolmo.generate.GenerationOptions;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.DefaultChatOptionsBuilder;

/**
 * Options of one Bolmo chat request. Immutable; build with {@link #builder()} or {@link #mutate()}.
 *
 * <p>Bolmo is a byte-level model, so every "token" count is a count of UTF-8 bytes: {@link #getMaxTokens()} is the
 * most new <em>bytes</em> to generate, and the usage in responses reports bytes. Unset fields ({@code null}) take
 * the engine's defaults: greedy decoding, no top-k/top-p, 256 bytes, no stop sequences, no boundary bias.
 * Frequency and presence penalties are not supported and must stay unset.
 */
public final class BolmoChatOptions implements ChatOptions {

    private final @Nullable String model;
    private final @Nullable Double temperature;
    private final @Nullable Integer topK;
    private final @Nullable Double topP;
    private final @Nullable Integer maxTokens;
    private final @Nullable List<String> stopSequences;
    private final @Nullable Long seed;
    private final @Nullable Double boundaryBias;

    private BolmoChatOptions(Builder b) {
        this.model = b.model();
        this.temperature = b.temperature();
        this.topK = b.topK();
        this.topP = b.topP();
        this.maxTokens = b.maxTokens();
        this.stopSequences = b.stopSequences() == null ? null : List.copyOf(b.stopSequences());
        this.seed = b.seed;
        this.boundaryBias = b.boundaryBias;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder mutate() {
        return new Builder().model(model).temperature(temperature).topK(topK).topP(topP).maxTokens(maxTokens)
                .stopSequences(stopSequences).seed(seed).boundaryBias(boundaryBias);
    }

    /**
     * Generic options from another provider or from {@code ChatOptions.builder()}: their portable fields are taken,
     * penalties are rejected because Bolmo has none and silently ignoring them would surprise.
     */
    public static BolmoChatOptions from(ChatOptions other) {
        if (other instanceof BolmoChatOptions bolmo) {
            return bolmo;
        }
        return new Builder().model(other.getModel()).temperature(other.getTemperature()).topK(other.getTopK())
                .topP(other.getTopP()).maxTokens(other.getMaxTokens()).stopSequences(other.getStopSequences())
                .frequencyPenalty(other.getFrequencyPenalty()).presencePenalty(other.getPresencePenalty()).build();
    }

    /** The engine's options; every field this object leaves unset keeps the engine default. */
    public GenerationOptions toGenerationOptions() {
        GenerationOptions.Builder b = GenerationOptions.builder();
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (topK != null) {
            b.topK(topK);
        }
        if (topP != null) {
            b.topP(topP);
        }
        if (maxTokens != null) {
            b.maxNewBytes(maxTokens);
        }
        if (stopSequences != null) {
            b.stop(stopSequences);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (boundaryBias != null) {
            b.boundaryBias(boundaryBias);
        }
        return b.build();
    }

    @Override
    public @Nullable String getModel() {
        return model;
    }

    @Override
    public @Nullable Double getFrequencyPenalty() {
        return null;
    }

    /** The most new bytes to generate (Bolmo's "tokens" are bytes). */
    @Override
    public @Nullable Integer getMaxTokens() {
        return maxTokens;
    }

    @Override
    public @Nullable Double getPresencePenalty() {
        return null;
    }

    @Override
    public @Nullable List<String> getStopSequences() {
        return stopSequences;
    }

    @Override
    public @Nullable Double getTemperature() {
        return temperature;
    }

    @Override
    public @Nullable Integer getTopK() {
        return topK;
    }

    @Override
    public @Nullable Double getTopP() {
        return topP;
    }

    public @Nullable Long getSeed() {
        return seed;
    }

    public @Nullable Double getBoundaryBias() {
        return boundaryBias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BolmoChatOptions that && Objects.equals(model, that.model)
                && Objects.equals(temperature, that.temperature) && Objects.equals(topK, that.topK)
                && Objects.equals(topP, that.topP) && Objects.equals(maxTokens, that.maxTokens)
                && Objects.equals(stopSequences, that.stopSequences) && Objects.equals(seed, that.seed)
                && Objects.equals(boundaryBias, that.boundaryBias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, temperature, topK, topP, maxTokens, stopSequences, seed, boundaryBias);
    }

    @Override
    public String toString() {
        return "BolmoChatOptions{model=" + model + ", temperature=" + temperature + ", topK=" + topK + ", topP=" + topP
                + ", maxTokens=" + maxTokens + ", stopSequences=" + stopSequences + ", seed=" + seed
                + ", boundaryBias=" + boundaryBias + "}";
    }

    /**
     * Extends Spring AI's builder so that {@code ChatClient}, which merges the model's defaults with request options
     * through {@link #combineWith}, keeps the Bolmo-only fields too.
     */
    public static final class Builder extends DefaultChatOptionsBuilder<Builder> {

        private @Nullable Long seed;
        private @Nullable Double boundaryBias;

        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /** Added to every "byte ends a patch" logit: &gt; 0 gives shorter patches, &lt; 0 longer (faster) ones. */
        public Builder boundaryBias(@Nullable Double boundaryBias) {
            this.boundaryBias = boundaryBias;
            return this;
        }

        @Override
        public Builder combineWith(ChatOptions.Builder<?> other) {
            super.combineWith(other);
            if (other instanceof Builder that) {
                if (that.seed != null) {
                    this.seed = that.seed;
                }
                if (that.boundaryBias != null) {
                    this.boundaryBias = that.boundaryBias;
                }
            }
            return this;
        }

        @Nullable String model() {
            return model;
        }

        @Nullable Double temperature() {
            return temperature;
        }

        @Nullable Integer topK() {
            return topK;
        }

        @Nullable Double topP() {
            return topP;
        }

        @Nullable Integer maxTokens() {
            return maxTokens;
        }

        @Nullable List<String> stopSequences() {
            return stopSequences;
        }

        @Override
        public BolmoChatOptions build() {
            reject("frequencyPenalty", frequencyPenalty);
            reject("presencePenalty", presencePenalty);
            // validates every value now, with the engine's messages, instead of at the first request
            BolmoChatOptions options = new BolmoChatOptions(this);
            options.toGenerationOptions();
            return options;
        }

        private static void reject(String name, @Nullable Double value) {
            if (value != null) {
                throw new IllegalArgumentException(name + " = " + value + " is not supported by Bolmo; leave it unset");
            }
        }
    }
}
