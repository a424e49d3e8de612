package io.bolmo.train.data;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the next window starts (model.md §6.1 Data, resumable training): token {@code token} of the document at
 * position {@code document} of epoch {@code epoch}'s order under {@code seed}; {@code batches} counts batches
 * already yielded. Windows always start at a token boundary, so this determines every later batch exactly.
 * Serialises to a map of longs (a Spring Batch ExecutionContext) or a small JSON object.
 */
public record DataCursor(long seed, long epoch, long document, long token, long batches) {

    private static final String[] KEYS = {"seed", "epoch", "document", "token", "batches"};

    public DataCursor {
        if (epoch < 0 || document < 0 || token < 0 || batches < 0) {
            throw new IllegalArgumentException("negative cursor field: " + this);
        }
    }

    public static DataCursor start(long seed) {
        return new DataCursor(seed, 0, 0, 0, 0);
    }

    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        long[] v = {seed, epoch, document, token, batches};
        for (int i = 0; i < KEYS.length; i++) {
            m.put(KEYS[i], v[i]);
        }
        return m;
    }

    /** Reads {@link #toMap}'s keys, optionally prefixed (e.g. {@code "data."}) in a shared context. */
    public static DataCursor fromMap(Map<String, ?> m, String prefix) {
        long[] v = new long[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            Object o = m.get(prefix + KEYS[i]);
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("data cursor: missing or non-numeric \"" + prefix + KEYS[i]
                        + "\" in " + m);
            }
            v[i] = n.longValue();
        }
        return new DataCursor(v[0], v[1], v[2], v[3], v[4]);
    }

    public static DataCursor fromMap(Map<String, ?> m) {
        return fromMap(m, "");
    }

    public String toJson() {
        return new Gson().toJson(toMap());
    }

    public static DataCursor fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Map<String, Long> m = new LinkedHashMap<>();
        for (String k : KEYS) {
            if (o.has(k)) {
                m.put(k, o.get(k).getAsLong());
            }
        }
        return fromMap(m);
    }
}
