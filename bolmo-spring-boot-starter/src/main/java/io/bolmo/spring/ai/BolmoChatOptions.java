package io.bolmo.spring.ai;

import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.constraint.ToolChoice;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.DefaultToolCallingChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * Options of one Bolmo chat request. Immutable; build with {@link #builder()} or {@link #mutate()}.
 *
 * <p>Bolmo is a byte-level model, so every "token" count is a count of UTF-8 bytes: {@link #getMaxTokens()} is the
 * most new <em>bytes</em> to generate, and the usage in responses reports bytes. Unset fields ({@code null}) take
 * the engine's defaults: greedy decoding, no top-k/top-p, 256 bytes, no stop sequences, no boundary bias, no
 * repetition penalty, no boundary reports.
 * Frequency and presence penalties are not supported and must stay unset. {@link #toGenerationOptions()} is the one
 * mapping onto the engine's options.
 *
 * <p>The starter binds {@code spring.ai.bolmo.chat.options.*} through the constructor, so the field comments below
 * are also the property descriptions; a new option is a field, a constructor parameter and a builder method.
 *
 * <p>Structured output and tools ({@link StructuredOutputChatOptions}, {@link ToolCallingChatOptions}) are
 * per-request options, set through the builder and not bound from properties: an output schema makes the reply JSON
 * valid under it (decoded under a byte-level constraint, not only asked for in the prompt); tool callbacks offer
 * their tools to the model, whose calls come back as {@code AssistantMessage.ToolCall}s (ChatClient's tool-calling
 * advisor runs them). See docs/structured-output.md.
 */
public final class BolmoChatOptions implements ToolCallingChatOptions, StructuredOutputChatOptions {

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

    /**
     * Byte-level repetition penalty (0 = off, the default): a byte that would extend a span of at least
     * repetition-min-bytes bytes already generated earlier loses this much times 1.75 per extra byte from its
     * logits, so decoding does not loop.
     */
    private final @Nullable Double repetitionPenalty;

    /**
     * Shortest repeat, in bytes, the repetition penalty acts on (default 16).
     */
    private final @Nullable Integer repetitionMinBytes;

    /**
     * Report Bolmo's patches: every streamed chunk carries, in its generation metadata under "boundaries", the bytes
     * of its text with whether each ends a patch and the model's probability that it does; the final response the
     * prompt's under "prompt-boundaries" (default false).
     */
    private final @Nullable Boolean boundaries;

    /**
     * The output schema, tools, tool context, tool choice and parallel calls: per request, never properties. Set once
     * by {@link Builder#build()} before the object is handed out, and never again; not final because Boot binds the
     * other fields through the one constructor, and a second constructor would hide them from Boot's binder and its
     * metadata processor.
     */
    private ToolSettings tools = ToolSettings.NONE;

    /** Checks every value now, with the engine's messages, so a bad one fails where it is set. */
    private BolmoChatOptions(@Nullable String model, @Nullable Double temperature, @Nullable Integer topK,
            @Nullable Double topP, @Nullable Integer maxTokens, @Nullable List<String> stopSequences,
            @Nullable Long seed, @Nullable Double boundaryBias, @Nullable Double repetitionPenalty,
            @Nullable Integer repetitionMinBytes, @Nullable Boolean boundaries) {
        this.model = model;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.maxTokens = maxTokens;
        this.stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
        this.seed = seed;
        this.boundaryBias = boundaryBias;
        this.repetitionPenalty = repetitionPenalty;
        this.repetitionMinBytes = repetitionMinBytes;
        this.boundaries = boundaries;
        toGenerationOptions();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder mutate() {
        return new Builder().model(model).temperature(temperature).topK(topK).topP(topP).maxTokens(maxTokens)
                .stopSequences(stopSequences).seed(seed).boundaryBias(boundaryBias)
                .repetitionPenalty(repetitionPenalty).repetitionMinBytes(repetitionMinBytes).boundaries(boundaries)
                .outputSchema(tools.outputSchema()).toolCallbacks(tools.callbacks()).toolContext(tools.context())
                .toolChoice(tools.choice()).parallelToolCalls(tools.parallel());
    }

    /**
     * Generic options from another provider or from {@code ChatOptions.builder()}: their portable fields are taken,
     * penalties are rejected because Bolmo has none and silently ignoring them would surprise.
     */
    public static BolmoChatOptions from(ChatOptions other) {
        if (other instanceof BolmoChatOptions bolmo) {
            return bolmo;
        }
        Builder b = new Builder().model(other.getModel()).temperature(other.getTemperature()).topK(other.getTopK())
                .topP(other.getTopP()).maxTokens(other.getMaxTokens()).stopSequences(other.getStopSequences())
                .frequencyPenalty(other.getFrequencyPenalty()).presencePenalty(other.getPresencePenalty());
        if (other instanceof ToolCallingChatOptions t) {
            b.toolCallbacks(t.getToolCallbacks()).toolContext(t.getToolContext());
        }
        if (other instanceof StructuredOutputChatOptions s) {
            b.outputSchema(s.getOutputSchema());
        }
        return b.build();
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
        if (repetitionPenalty != null) {
            b.repetitionPenalty(repetitionPenalty);
        }
        if (repetitionMinBytes != null) {
            b.repetitionMinBytes(repetitionMinBytes);
        }
        if (boundaries != null) {
            b.reportBoundaries(boundaries);
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

    public @Nullable Double getRepetitionPenalty() {
        return repetitionPenalty;
    }

    public @Nullable Integer getRepetitionMinBytes() {
        return repetitionMinBytes;
    }

    public @Nullable Boolean getBoundaries() {
        return boundaries;
    }

    /** JSON Schema text the reply must be valid under; null for free text. */
    @Override
    public @Nullable String getOutputSchema() {
        return tools.outputSchema();
    }

    @Override
    public @Nullable List<ToolCallback> getToolCallbacks() {
        return tools.callbacks();
    }

    @Override
    public @Nullable Map<String, Object> getToolContext() {
        return tools.context();
    }

    /** Whether and which tool the reply must call; null is {@link ToolChoice#auto()}. */
    public @Nullable ToolChoice getToolChoice() {
        return tools.choice();
    }

    /** Whether one reply may call several tools; null is yes (OpenAI's default). */
    public @Nullable Boolean getParallelToolCalls() {
        return tools.parallel();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BolmoChatOptions that && Objects.equals(model, that.model)
                && Objects.equals(temperature, that.temperature) && Objects.equals(topK, that.topK)
                && Objects.equals(topP, that.topP) && Objects.equals(maxTokens, that.maxTokens)
                && Objects.equals(stopSequences, that.stopSequences) && Objects.equals(seed, that.seed)
                && Objects.equals(boundaryBias, that.boundaryBias)
                && Objects.equals(repetitionPenalty, that.repetitionPenalty)
                && Objects.equals(repetitionMinBytes, that.repetitionMinBytes)
                && Objects.equals(boundaries, that.boundaries) && tools.equals(that.tools);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, temperature, topK, topP, maxTokens, stopSequences, seed, boundaryBias,
                repetitionPenalty, repetitionMinBytes, boundaries, tools);
    }

    @Override
    public String toString() {
        return "BolmoChatOptions{model=" + model + ", temperature=" + temperature + ", topK=" + topK + ", topP=" + topP
                + ", maxTokens=" + maxTokens + ", stopSequences=" + stopSequences + ", seed=" + seed
                + ", boundaryBias=" + boundaryBias + ", repetitionPenalty=" + repetitionPenalty
                + ", repetitionMinBytes=" + repetitionMinBytes + ", boundaries=" + boundaries + ", " + tools + "}";
    }

    /**
     * Extends Spring AI's builder so that {@code ChatClient}, which merges the model's defaults with request options
     * through {@link #combineWith}, keeps the Bolmo-only fields too.
     */
    public static final class Builder extends DefaultToolCallingChatOptions.Builder<Builder>
            implements StructuredOutputChatOptions.Builder<Builder> {

        private @Nullable Long seed;
        private @Nullable Double boundaryBias;
        private @Nullable Double repetitionPenalty;
        private @Nullable Integer repetitionMinBytes;
        private @Nullable Boolean boundaries;
        private @Nullable String outputSchema;
        private @Nullable ToolChoice toolChoice;
        private @Nullable Boolean parallelToolCalls;

        /** JSON Schema text the reply must be valid under (ChatClient sets it for native structured output). */
        @Override
        public Builder outputSchema(@Nullable String outputSchema) {
            this.outputSchema = outputSchema;
            return this;
        }

        /** Whether and which tool the reply must call (OpenAI's {@code tool_choice}); unset is auto. */
        public Builder toolChoice(@Nullable ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        /** Whether one reply may call several tools (OpenAI's {@code parallel_tool_calls}); unset is yes. */
        public Builder parallelToolCalls(@Nullable Boolean parallelToolCalls) {
            this.parallelToolCalls = parallelToolCalls;
            return this;
        }

        public Builder seed(@Nullable Long seed) {
            this.seed = seed;
            return this;
        }

        /** Added to every "byte ends a patch" logit: &gt; 0 gives shorter patches, &lt; 0 longer (faster) ones. */
        public Builder boundaryBias(@Nullable Double boundaryBias) {
            this.boundaryBias = boundaryBias;
            return this;
        }

        /** Byte-level repetition penalty (0 = off); see {@link io.bolmo.generate.GenerationOptions}. */
        public Builder repetitionPenalty(@Nullable Double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** Shortest repeat in bytes the repetition penalty acts on. */
        public Builder repetitionMinBytes(@Nullable Integer repetitionMinBytes) {
            this.repetitionMinBytes = repetitionMinBytes;
            return this;
        }

        /** Report every byte's patch decision and probability in the responses' metadata. */
        public Builder boundaries(@Nullable Boolean boundaries) {
            this.boundaries = boundaries;
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
                if (that.repetitionPenalty != null) {
                    this.repetitionPenalty = that.repetitionPenalty;
                }
                if (that.repetitionMinBytes != null) {
                    this.repetitionMinBytes = that.repetitionMinBytes;
                }
                if (that.boundaries != null) {
                    this.boundaries = that.boundaries;
                }
                if (that.outputSchema != null) {
                    this.outputSchema = that.outputSchema;
                }
                if (that.toolChoice != null) {
                    this.toolChoice = that.toolChoice;
                }
                if (that.parallelToolCalls != null) {
                    this.parallelToolCalls = that.parallelToolCalls;
                }
            }
            return this;
        }

        @Override
        public BolmoChatOptions build() {
            reject("frequencyPenalty", frequencyPenalty);
            reject("presencePenalty", presencePenalty);
            BolmoChatOptions options = new BolmoChatOptions(model, temperature, topK, topP, maxTokens, stopSequences,
                    seed, boundaryBias, repetitionPenalty, repetitionMinBytes, boundaries);
            if (outputSchema != null) {
                BolmoConstraints.schema(outputSchema); // a bad schema fails here, naming its part
            }
            options.tools = new ToolSettings(outputSchema, toolCallbacks, toolContext, toolChoice, parallelToolCalls);
            return options;
        }

        private static void reject(String name, @Nullable Double value) {
            if (value != null) {
                throw new IllegalArgumentException(name + " = " + value + " is not supported by Bolmo; leave it unset");
            }
        }
    }
}
