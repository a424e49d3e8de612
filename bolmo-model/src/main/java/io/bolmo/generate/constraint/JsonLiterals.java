package io.bolmo.generate.constraint;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one way a constrained output writes a given JSON value (for {@code enum}, {@code const} and property names):
 * compact, strings as {@link ByteAutomata.Encoding#JSON_STRING} writes characters, numbers as the schema wrote them.
 */
final class JsonLiterals {

    private JsonLiterals() {}

    static byte[] canonical(JsonElement v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(v, out);
        return out.toByteArray();
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static byte[] string(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(s, out);
        return out.toByteArray();
    }

    /** JSON Schema's type of a value; integral numbers are "integer". */
    static String typeOf(JsonElement v) {
        if (v.isJsonNull()) {
            return "null";
        }
        if (v.isJsonObject()) {
            return "object";
        }
        if (v.isJsonArray()) {
            return "array";
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return "boolean";
        }
        if (p.isString()) {
            return "string";
        }
        return p.getAsBigDecimal().stripTrailingZeros().scale() <= 0 ? "integer" : "number";
    }

    private static void write(JsonElement v, ByteArrayOutputStream out) {
        if (v.isJsonNull()) {
            out.writeBytes(bytes("null"));
        } else if (v.isJsonObject()) {
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                writeString(e.getKey(), out);
                out.write(':');
                write(e.getValue(), out);
            }
            out.write('}');
        } else if (v.isJsonArray()) {
            out.write('[');
            for (int i = 0; i < v.getAsJsonArray().size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                write(v.getAsJsonArray().get(i), out);
            }
            out.write(']');
        } else if (v.getAsJsonPrimitive().isString()) {
            writeString(v.getAsString(), out);
        } else {
            out.writeBytes(bytes(v.getAsJsonPrimitive().getAsString()));
        }
    }

    private static void writeString(String s, ByteArrayOutputStream out) {
        out.write('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.writeBytes(bytes("\\\""));
                case '\\' -> out.writeBytes(bytes("\\\\"));
                case '\b' -> out.writeBytes(bytes("\\b"));
                case '\t' -> out.writeBytes(bytes("\\t"));
                case '\n' -> out.writeBytes(bytes("\\n"));
                case '\f' -> out.writeBytes(bytes("\\f"));
                case '\r' -> out.writeBytes(bytes("\\r"));
                default -> {
                    if (c < 0x20) {
                        out.writeBytes(bytes(String.format("\\u%04x", c)));
                    } else if (c < 0xD800 || c > 0xDFFF) {
                        out.writeBytes(bytes(new String(Character.toChars(c))));
                    } else {
                        throw new ConstraintException("the text holds a lone surrogate U+" + Integer.toHexString(c)
                                + ", which has no UTF-8 encoding", "");
                    }
                }
            }
        });
        out.write('"');
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
