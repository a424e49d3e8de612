package io.bolmo.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: an independent plain-Java F32 safetensors parse, and hand-written files. */
final class PlainSafetensors {

    /** A tensor as the plain parse sees it. */
    record Plain(long[] shape, float[] values) {}

    private PlainSafetensors() {}

    /** Whole-file parse with no code shared with {@link SafetensorsFile}; F32 only, as the golden files are. */
    static Map<String, Plain> parseF32(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) all.getLong(0);
        JsonObject header = JsonParser.parseString(new String(all.array(), 8, n, StandardCharsets.UTF_8))
                .getAsJsonObject();
        Map<String, Plain> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject t = e.getValue().getAsJsonObject();
            if (!t.get("dtype").getAsString().equals("F32")) {
                throw new IllegalStateException("plain parse handles F32 only");
            }
            long[] shape = new long[t.getAsJsonArray("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.getAsJsonArray("shape").get(i).getAsLong();
            }
            int begin = t.getAsJsonArray("data_offsets").get(0).getAsInt();
            int end = t.getAsJsonArray("data_offsets").get(1).getAsInt();
            float[] values = new float[(end - begin) / 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = all.getFloat(8 + n + begin + 4 * i);
            }
            out.put(e.getKey(), new Plain(shape, values));
        }
        return out;
    }

    /** Writes a safetensors file by hand: {@code header} JSON (unpadded) and raw data bytes. */
    static Path handWritten(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }

    /** Little-endian bytes of 16-bit values. */
    static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }
}
