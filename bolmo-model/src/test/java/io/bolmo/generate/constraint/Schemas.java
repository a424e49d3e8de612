package io.bolmo.generate.constraint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test schemas of src/test/resources/constraint/schemas.json, by name (nested objects, arrays, enums, ...). */
public final class Schemas {

    private Schemas() {}

    public static Map<String, String> all() {
        try (InputStream in = Schemas.class.getResourceAsStream("/constraint/schemas.json")) {
            JsonObject o = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, String> out = new LinkedHashMap<>();
            o.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String get(String name) {
        String s = all().get(name);
        if (s == null) {
            throw new IllegalArgumentException("no test schema " + name);
        }
        return s;
    }
}
