package io.bolmo.spring.ai;

import io.bolmo.generate.constraint.ByteConstraint;
import io.bolmo.generate.constraint.ToolCallConstraint;
import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ConcurrentLruCache;

/**
 * The compiled constraints of recent requests. Compiling a schema costs up to tens of milliseconds, and a service
 * sees the same few schemas and tool sets again and again (ChatClient sends the same options every round of a tool
 * loop), so each is compiled once and kept; a bad schema is not kept and fails again the same way.
 */
final class BolmoConstraints {

    /** Distinct schemas and tool sets kept; each is tens of kilobytes. */
    private static final int KEPT = 64;

    private record Tools(ToolCallFormat format, List<ToolDefinition> tools, ToolChoice choice, boolean parallel,
            @Nullable String contentSchema) {}

    private static final ConcurrentLruCache<String, ByteConstraint> SCHEMAS =
            new ConcurrentLruCache<>(KEPT, ByteConstraint::jsonSchema);
    private static final ConcurrentLruCache<Tools, ByteConstraint> TOOLS = new ConcurrentLruCache<>(KEPT,
            t -> ToolCallConstraint.of(t.format(), t.tools(), t.choice(), t.parallel(),
                    ByteConstraint.DEFAULT_MAX_DEPTH, t.contentSchema()));

    private BolmoConstraints() {}

    /** The reply is JSON valid under {@code schema}; a bad schema throws a {@code ConstraintException} naming its part. */
    static ByteConstraint schema(String schema) {
        return SCHEMAS.get(schema);
    }

    /** The reply under {@code choice} of {@code tools}, its content under {@code contentSchema} when one is given. */
    static ByteConstraint tools(ToolCallFormat format, List<ToolDefinition> tools, ToolChoice choice, boolean parallel,
            @Nullable String contentSchema) {
        return TOOLS.get(new Tools(format, List.copyOf(tools), choice, parallel, contentSchema));
    }
}
