package io.bolmo.generate.constraint;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dk.brics.automaton.Automaton;
import java.util.HashMap;
import java.util.List;

/**
 * What a generation may output, as an automaton over UTF-8 bytes: a compiled JSON Schema, any JSON value, or a
 * regular expression. Compile once, share freely (immutable, thread-safe); every generation walks it with its own
 * {@link ConstraintMatcher}. Set it with {@code GenerationOptions.builder().constraint(c)}: at every step the
 * generator masks the bytes the constraint does not allow (both fused ids of a byte, with and without the boundary
 * flag), allows EOS only where the output is a complete match, and stops as soon as a complete match admits no
 * further byte. See docs/structured-output.md.
 */
public final class ByteConstraint {

    /** Nesting limit of objects and arrays when none is given (OpenAI's strict mode allows 10 levels too). */
    public static final int DEFAULT_MAX_DEPTH = 10;
    /** Largest grammar compiled (states); beyond it the schema or pattern is rejected as too large. */
    static final int MAX_STATES = 500_000;

    private final Grammar grammar;
    private final String description;

    ByteConstraint(Grammar grammar, String description) {
        this.grammar = grammar;
        this.description = description;
    }

    /**
     * The output must match {@code regex} in full (ECMA-262 syntax, the regular part: see {@link Regex}); a
     * character is its UTF-8 bytes, so the output is always valid UTF-8.
     *
     * @throws ConstraintException naming the position of an unsupported or malformed part
     */
    public static ByteConstraint regex(String regex) {
        if (regex == null) {
            throw new ConstraintException("regex must not be null", "regex");
        }
        Automaton a = Regex.fullMatch(regex, ByteAutomata.Encoding.UTF8, "regex");
        if (ByteAutomata.acceptsNothing(a)) {
            throw new ConstraintException("the pattern \"" + regex + "\" matches no text", "regex");
        }
        Grammar.Builder b = new Grammar.Builder(MAX_STATES);
        int start = b.rule(a);
        if (!b.hasEdges(start)) {
            throw new ConstraintException("the pattern \"" + regex + "\" matches only the empty text", "regex");
        }
        return new ByteConstraint(b.build(start), "regex " + regex);
    }

    /** {@link #jsonSchema(String, int)} with {@link #DEFAULT_MAX_DEPTH}. */
    public static ByteConstraint jsonSchema(String schema) {
        return jsonSchema(schema, DEFAULT_MAX_DEPTH);
    }

    /**
     * The output must be a JSON value valid under {@code schema} (JSON Schema, the subset of
     * docs/structured-output.md), with objects and arrays nested at most {@code maxDepth} deep.
     *
     * @throws ConstraintException naming (by JSON pointer) an unsupported keyword or a malformed part
     */
    public static ByteConstraint jsonSchema(String schema, int maxDepth) {
        JsonElement root = parse(schema, "schema");
        Grammar.Builder b = new Grammar.Builder(MAX_STATES);
        int start = new JsonSchemaCompiler(b, root, checkDepth(maxDepth), new HashMap<>()).compileRoot();
        return new ByteConstraint(b.build(start), "JSON schema");
    }

    /** Any JSON value (objects and arrays at most {@code maxDepth} deep). */
    public static ByteConstraint anyJson(int maxDepth) {
        return jsonSchema("true", maxDepth);
    }

    /** Any JSON object (OpenAI's {@code json_object} response format), at most {@code maxDepth} deep. */
    public static ByteConstraint jsonObject(int maxDepth) {
        return jsonSchema("{\"type\":\"object\"}", maxDepth);
    }

    /**
     * A fresh walk for one generation.
     *
     * @param maxBytes the generation's byte limit: the last bytes are steered so the output completes within it
     * @param stops    the generation's stop sequences, which may then only end it after a complete match
     * @throws IllegalArgumentException when no output fits within {@code maxBytes}
     */
    public ConstraintMatcher matcher(int maxBytes, List<String> stops) {
        return new ConstraintMatcher(grammar, maxBytes, stops == null ? List.of() : stops);
    }

    /** Length in bytes of the shortest output that satisfies the constraint. */
    public int shortestOutput() {
        return grammar.finish(grammar.start());
    }

    /** Size of the compiled automaton (states of all its rules). */
    public int states() {
        return grammar.states();
    }

    static JsonElement parse(String json, String what) {
        if (json == null) {
            throw new ConstraintException(what + " must not be null", what);
        }
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new ConstraintException("not valid JSON: " + e.getMessage(), what);
        }
    }

    static int checkDepth(int maxDepth) {
        if (maxDepth < 1 || maxDepth > 64) {
            throw new ConstraintException("maxDepth = " + maxDepth + " is invalid: must be in 1..64", "maxDepth");
        }
        return maxDepth;
    }

    @Override
    public String toString() {
        return description + " (" + states() + " states)";
    }
}
