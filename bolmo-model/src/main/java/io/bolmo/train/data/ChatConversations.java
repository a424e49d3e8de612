package io.bolmo.train.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The chat fine-tuning format: one JSON object per line, {@code {"messages":[{"role":"system|user|assistant",
 * "content":"..."}, ...]}}. Roles are {@code system}, {@code user} and {@code assistant}; every assistant turn has
 * non-empty content and a conversation has at least one. Errors name {@code file:line} and what is allowed.
 */
public final class ChatConversations {

    /** The roles a conversation may use. */
    public static final Set<String> ROLES = Set.of("system", "user", ChatTemplate.ASSISTANT);
    static final String FORMAT = "expected {\"messages\":[{\"role\":\"system|user|assistant\",\"content\":\"...\"}, ...]}";

    private ChatConversations() {}

    /** Parses one line ({@code where} = "file:line" for messages). */
    public static List<ChatMessage> parse(String json, String where) {
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (JsonParseException ex) {
            throw new CorpusException(where + ": malformed JSON (" + ex.getMessage() + "); " + FORMAT, ex);
        }
        if (!e.isJsonObject()) {
            throw new CorpusException(where + ": not a JSON object; " + FORMAT);
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement ms = o.get("messages");
        if (ms == null || !ms.isJsonArray()) {
            throw new CorpusException(where + ": missing \"messages\" array; " + FORMAT);
        }
        JsonArray arr = ms.getAsJsonArray();
        List<ChatMessage> out = new ArrayList<>(arr.size());
        boolean assistant = false;
        for (int i = 0; i < arr.size(); i++) {
            String at = where + ": messages[" + i + "]";
            if (!arr.get(i).isJsonObject()) {
                throw new CorpusException(at + " is not an object; " + FORMAT);
            }
            JsonObject m = arr.get(i).getAsJsonObject();
            String role = string(m, "role", at);
            String content = string(m, "content", at);
            if (!ROLES.contains(role)) {
                throw new CorpusException(at + ": role \"" + role + "\" is unknown; allowed: system, user, assistant");
            }
            if (role.equals(ChatTemplate.ASSISTANT)) {
                if (content.isBlank()) {
                    throw new CorpusException(at + ": assistant content is empty; every assistant turn needs the text"
                            + " the model should learn to answer");
                }
                assistant = true;
            }
            out.add(new ChatMessage(role, content));
        }
        if (!assistant) {
            throw new CorpusException(where + ": no assistant turn, so nothing to learn; each conversation needs at"
                    + " least one {\"role\":\"assistant\",\"content\":\"...\"}");
        }
        return out;
    }

    private static String string(JsonObject m, String key, String at) {
        JsonElement v = m.get(key);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw new CorpusException(at + ": \"" + key + "\" must be a string; " + FORMAT);
        }
        return v.getAsString();
    }

    /** A conversation line cut to 80 characters, for error messages. */
    public static String abbreviate(String json) {
        return json.length() <= 80 ? json : json.substring(0, 77) + "...";
    }

    /**
     * Checks every document of a corpus opened with {@link CorpusOptions#JSON_OBJECTS} before training starts, so a
     * bad line fails the run at once with its file and line. Returns the number of conversations.
     */
    public static int validate(Corpus corpus) {
        for (java.nio.file.Path f : corpus.files()) {
            String n = f.getFileName().toString();
            if (!(n.endsWith(".jsonl") || n.endsWith(".jsonl.gz") || n.endsWith(".json") || n.endsWith(".json.gz"))) {
                throw new CorpusException(f + ": chat data must be JSON lines (.jsonl, optionally .gz); " + FORMAT);
            }
        }
        for (int d = 0; d < corpus.documentCount(); d++) {
            parse(corpus.text(d), corpus.describe(d));
        }
        if (corpus.documentCount() == 0) {
            throw new CorpusException(corpus.files() + ": no conversations; " + FORMAT);
        }
        return corpus.documentCount();
    }
}
