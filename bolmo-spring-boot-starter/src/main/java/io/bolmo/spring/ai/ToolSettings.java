package io.bolmo.spring.ai;

import io.bolmo.generate.constraint.ToolChoice;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.tool.ToolCallback;

/**
 * The per-request part of {@link BolmoChatOptions}: what the reply must look like (an output schema) and which tools
 * it may call. Never bound from properties. Null fields are unset.
 *
 * @param outputSchema JSON Schema text the reply must be valid under
 * @param callbacks    the tools offered (Spring AI runs them; the model only sees their definitions)
 * @param context      handed to the tools when they run
 * @param choice       whether and which tool the reply must call; null is auto
 * @param parallel     whether one reply may call several tools; null is yes
 */
record ToolSettings(@Nullable String outputSchema, @Nullable List<ToolCallback> callbacks,
        @Nullable Map<String, Object> context, @Nullable ToolChoice choice, @Nullable Boolean parallel) {

    static final ToolSettings NONE = new ToolSettings(null, null, null, null, null);

    ToolSettings {
        callbacks = callbacks == null ? null : List.copyOf(callbacks);
        context = context == null ? null : Map.copyOf(context);
    }

    @Override
    public String toString() {
        return "outputSchema=" + outputSchema + ", tools="
                + (callbacks == null ? null : callbacks.stream().map(c -> c.getToolDefinition().name()).toList())
                + ", toolContext=" + (context == null ? null : context.keySet()) + ", toolChoice=" + choice
                + ", parallelToolCalls=" + parallel;
    }
}
