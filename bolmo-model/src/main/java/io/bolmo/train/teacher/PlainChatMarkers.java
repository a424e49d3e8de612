package io.bolmo.train.teacher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.io.AtomicFiles;
import io.bolmo.tokenize.ChatTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A copy of a subword {@code tokenizer.json} in which the chat template's markers are no longer added tokens, so a
 * teacher's chat fine-tune reads {@code <|im_start|>} and {@code <|im_end|>} as ordinary text pieces, as a byteified
 * model does (its encoder sees their bytes and patches them like any text). Every id keeps its number, so the tuned
 * teacher still merges tensor for tensor into a Bolmo of the base teacher (model.md §11); the markers' own rows go
 * unused.
 */
public final class PlainChatMarkers {

    private PlainChatMarkers() {}

    /** Writes the copy to {@code target} (atomically) and returns it; the source is not changed. */
    public static Path write(Path tokenizerJson, ChatTemplate template, Path target) {
        Set<String> markers = Set.of(template.turnStart(), template.turnEnd().strip());
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(tokenizerJson, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
        JsonArray kept = new JsonArray();
        if (root.has("added_tokens")) {
            for (JsonElement t : root.getAsJsonArray("added_tokens")) {
                if (!markers.contains(t.getAsJsonObject().get("content").getAsString())) {
                    kept.add(t);
                }
            }
        }
        root.add("added_tokens", kept);
        String json = root.toString();
        AtomicFiles.writeFile(target, tmp -> Files.writeString(tmp, json, StandardCharsets.UTF_8));
        return target;
    }
}
