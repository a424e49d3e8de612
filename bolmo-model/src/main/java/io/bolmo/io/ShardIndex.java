package io.bolmo.io;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code weight_map} (tensor name to shard file) of a {@code model.safetensors.index.json}. Streamed, so
 * that a tensor listed twice is an error rather than silently the last entry.
 */
final class ShardIndex {

    private ShardIndex() {}

    /** The weight map in file order, shard names resolved against the index's directory. */
    static Map<String, Path> read(Path index) {
        Path dir = index.toAbsolutePath().getParent();
        Map<String, Path> map = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(index, StandardCharsets.UTF_8);
             JsonReader r = new JsonReader(in)) {
            boolean found = false;
            r.beginObject();
            while (r.hasNext()) {
                if (!r.nextName().equals("weight_map")) {
                    r.skipValue();
                    continue;
                }
                found = true;
                r.beginObject();
                while (r.hasNext()) {
                    String tensor = r.nextName();
                    if (r.peek() != JsonToken.STRING) {
                        throw new CheckpointException(index + ": weight_map entry of '" + tensor
                                + "' is not a file name");
                    }
                    Path shard = dir.resolve(r.nextString()).normalize();
                    if (!dir.equals(shard.getParent())) {
                        throw new CheckpointException(index + ": tensor '" + tensor + "' points to " + shard
                                + ", outside the checkpoint directory");
                    }
                    Path before = map.put(tensor, shard);
                    if (before != null) {
                        throw new CheckpointException(index + ": tensor '" + tensor + "' is listed twice (in "
                                + before.getFileName() + " and " + shard.getFileName() + ")");
                    }
                }
                r.endObject();
            }
            r.endObject();
            if (!found) {
                throw new CheckpointException(index + ": no weight_map");
            }
            return map;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new CheckpointException(index + " is not a valid shard index: " + e.getMessage(), e);
        }
    }
}
