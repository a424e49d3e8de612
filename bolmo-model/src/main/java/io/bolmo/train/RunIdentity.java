package io.bolmo.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.bolmo.io.CheckpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters that make a run the run it is (steps, seed, data shape, ...): each checkpoint records them in its
 * {@code state.json}, and a resume with any of them changed is refused by name. One list per run, built by its
 * parameter class, so what is written and what is checked cannot drift apart.
 */
public final class RunIdentity {

    /**
     * @param key    the key in {@code state.json} (a dotted path for a value nested in a block the run writes itself)
     * @param name   the parameter's name for the user ({@code seq-len})
     * @param value  this run's value
     * @param absent what a checkpoint without the key was written with (older formats); null: the key is required,
     *               or, for a nested key, checked only when present
     */
    private record Entry(String key, String name, JsonPrimitive value, JsonPrimitive absent) {}

    private final List<Entry> entries = new ArrayList<>();

    /** A recorded parameter that every checkpoint has. */
    public RunIdentity add(String key, String name, Object value) {
        entries.add(new Entry(key, name, primitive(value), null));
        return this;
    }

    /** A recorded parameter that checkpoints of an older format lack; they were written with {@code absent}. */
    public RunIdentity add(String key, String name, Object value, Object absent) {
        entries.add(new Entry(key, name, primitive(value), primitive(absent)));
        return this;
    }

    /**
     * A value inside a block the run writes itself (dotted {@code key}, e.g. {@code settings.weights.boundary}):
     * checked when the checkpoint has it, never written here.
     */
    public RunIdentity checkNested(String key, String name, Object value) {
        entries.add(new Entry(key, name, primitive(value), null));
        return this;
    }

    /** Writes every top-level parameter into {@code state}. */
    public void writeTo(JsonObject state) {
        for (Entry e : entries) {
            if (!e.key().contains(".")) {
                state.add(e.key(), e.value());
            }
        }
    }

    /** The keys a checkpoint of the current format must have. */
    public List<String> requiredKeys() {
        return entries.stream().filter(e -> e.absent() == null && !e.key().contains(".")).map(Entry::key).toList();
    }

    /** Refuses {@code state} (of {@code checkpoint}) when any parameter differs from this run's, naming it. */
    public void requireSame(Path checkpoint, JsonObject state) {
        for (Entry e : entries) {
            JsonElement saved = lookup(state, e.key());
            if (saved == null) {
                saved = e.absent();
            }
            if (saved == null) {
                continue; // a nested value that this checkpoint does not record
            }
            if (!same(saved, e.value())) {
                throw new CheckpointException("checkpoint " + checkpoint + " was written with " + e.name() + " = "
                        + text(saved) + " but this run has " + e.name() + " = " + text(e.value())
                        + "; resume with the original parameters");
            }
        }
    }

    /** Compared as the run's own type: a float weight read back from JSON text is equal as a float. */
    private static boolean same(JsonElement saved, JsonPrimitive value) {
        if (!saved.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive s = saved.getAsJsonPrimitive();
        try {
            if (value.isBoolean()) {
                return s.isBoolean() && s.getAsBoolean() == value.getAsBoolean();
            }
            if (value.isString()) {
                return s.isString() && s.getAsString().equals(value.getAsString());
            }
            Number n = value.getAsNumber();
            if (n instanceof Float f) {
                return s.getAsFloat() == f;
            }
            if (n instanceof Double d) {
                return s.getAsDouble() == d;
            }
            return s.getAsLong() == n.longValue() && s.getAsDouble() == n.doubleValue();
        } catch (NumberFormatException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static JsonElement lookup(JsonObject state, String key) {
        JsonElement at = state;
        for (String part : key.split("\\.")) {
            if (at == null || !at.isJsonObject() || !at.getAsJsonObject().has(part)) {
                return null;
            }
            at = at.getAsJsonObject().get(part);
        }
        return at;
    }

    private static String text(JsonElement e) {
        return e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static JsonPrimitive primitive(Object v) {
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive(String.valueOf(v));
    }
}
