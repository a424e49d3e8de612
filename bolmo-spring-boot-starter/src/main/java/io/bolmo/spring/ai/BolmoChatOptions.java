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
 * Frequency and presence penalties are not supported and must stay unset. {@link #toGenerationOptions()} is the one
 * mapping onto the engine's options.
 *
 * <p>The starter binds {@code spring.ai.bolmo.chat.options.*} through the constructor, so the field comments below
 * are also the property descriptions; a new option is a field, a constructor parameter and a builder method.
 */
public final class BolmoChatOptions implements ChatOptions {

    /**
     * Name reported as the model in responses and observations; defaults to the model directory's name.
     */
    private final @Nullable String model;

    /**
     * Sampling temperature; 0 = greedy (the engine default).
     */
    private final @Nullable Double temperature;

    /**
     * Keep the k most likely symbols when sampling (0 = off).
     */
    private final @Nullable Integer topK;

    /**
     * Nucleus sampling: keep the smallest set whose probability reaches p, in (0, 1] (1 = off).
     */
    private final @Nullable Double topP;

    /**
     * Most new bytes per answer (default 256). Bolmo is byte-level: its "tokens" are UTF-8 bytes.
     */
    private final @Nullable Integer maxTokens;

    /**
     * Stop sequences (the chat template's end-of-turn marker is always added).
     */
    private final @Nullable List<String> stopSequences;

    /**
     * Sampling seed; unset draws a fresh one per request.
     */
    private final @Nullable Long seed;

    /**
     * Added to every "byte ends a patch" logit: positive gives shorter patches, negative longer (faster) ones.
     */
    private final @Nullable Double boundaryBias;

    /** Checks every value now, with the engine's messages, so a bad one fails where it is set. */
    private BolmoChatOptions(@Nullable String model, @Nullable Double temperature, @Nullable Integer topK,
            @Nullable Double topP, @Nullable Integer maxTokens, @Nullable List<String> stopSequences,
            @Nullable Long seed, @Nullable Double boundaryBias) {
        this.model = model;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.maxTokens = maxTokens;
        this.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
        this.seed = seed;
        this.boundaryBias = boundaryBias;
        toGenerationOptions();
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

        @Override
        public BolmoChatOptions build() {
            reject("frequencyPenalty", frequencyPenalty);
            reject("presencePenalty", presencePenalty);
            return new BolmoChatOptions(model, temperature, topK, topP, maxTokens, stopSequences, seed, boundaryBias);
        }

        private static void reject(String name, @Nullable Double value) {
            if (value != null) {
                throw new IllegalArgumentException(name + " = " + value + " is not supported by Bolmo; leave it unset");
            }
        }
    }
}
