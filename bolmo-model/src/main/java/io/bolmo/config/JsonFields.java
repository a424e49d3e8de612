package io.bolmo.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of a Hugging Face {@code config.json}; every error names the file and the field. */
final class JsonFields {

    private final JsonObject json;
    private final String source;

    JsonFields(JsonObject json, String source) {
        this.json = json;
        this.source = source;
    }

    static JsonFields read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file);
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new ConfigException(file + ": expected a JSON object at the top level");
            }
            return new JsonFields(root.getAsJsonObject(), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (com.google.gson.JsonParseException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static JsonFields parse(String text, String source) {
        JsonElement root = JsonParser.parseString(text);
        return new JsonFields(root.getAsJsonObject(), source);
    }

    JsonObject json() {
        return json;
    }

    boolean has(String field) {
        return json.has(field) && !json.get(field).isJsonNull();
    }

    JsonFields object(String field) {
        if (!has(field)) {
            return new JsonFields(new JsonObject(), source + "#" + field);
        }
        JsonElement e = json.get(field);
        if (!e.isJsonObject()) {
            throw error(field, e, "an object");
        }
        return new JsonFields(e.getAsJsonObject(), source + "#" + field);
    }

    int integer(String field, int dflt) {
        if (!has(field)) {
            return dflt;
        }
        JsonElement e = json.get(field);
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw error(field, e, "an integer");
            }
            return (int) d;
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw error(field, e, "an integer");
        }
    }

    int requiredInteger(String field) {
        if (!has(field)) {
            throw new ConfigException(source + ": required field '" + field + "' is missing");
        }
        return integer(field, 0);
    }

    Integer optionalInteger(String field) {
        return has(field) ? integer(field, 0) : null;
    }

    double number(String field, double dflt) {
        if (!has(field)) {
            return dflt;
        }
        JsonElement e = json.get(field);
        try {
            return e.getAsDouble();
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw error(field, e, "a number");
        }
    }

    boolean bool(String field, boolean dflt) {
        if (!has(field)) {
            return dflt;
        }
        JsonElement e = json.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(field, e, "true or false");
        }
        return e.getAsBoolean();
    }

    String string(String field, String dflt) {
        if (!has(field)) {
            return dflt;
        }
        JsonElement e = json.get(field);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(field, e, "a string");
        }
        return e.getAsString();
    }

    List<String> strings(String field) {
        if (!has(field)) {
            return null;
        }
        JsonElement e = json.get(field);
        if (!e.isJsonArray()) {
            throw error(field, e, "a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : (JsonArray) e) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw error(field, e, "a list of strings");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    ConfigException invalid(String field, Object value, String allowed) {
        return new ConfigException(source + ": field '" + field + "' = " + value + " is invalid; " + allowed);
    }

    private ConfigException error(String field, JsonElement value, String expected) {
        return new ConfigException(source + ": field '" + field + "' = " + value + " must be " + expected);
    }
}
