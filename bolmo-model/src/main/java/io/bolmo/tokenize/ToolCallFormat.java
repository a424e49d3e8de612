package io.bolmo.tokenize;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How tools appear in a chat: Olmo 3's function-calling convention (its instruct chat template, and Ollama's Olmo 3
 * renderer). The system turn lists the tools as JSON inside {@code <functions>...</functions>}; an assistant turn
 * writes its calls after any text as {@code <function_calls>name(key=value, key=value)</function_calls>}, one call
 * per line, each value JSON; a tool's result comes back as an {@code environment} turn. {@link #parse} reads a
 * reply back into its text and calls.
 *
 * @param functionsOpen  before the tools' JSON in the system turn
 * @param functionsClose after it
 * @param callsOpen      opens the calls of an assistant turn
 * @param callsClose     closes them
 * @param callSeparator  between two calls
 * @param resultRole     the role a tool result is rendered under
 * @param defaultSystem  the system text when the conversation has none and tools are given
 */
public record ToolCallFormat(String functionsOpen, String functionsClose, String callsOpen, String callsClose,
        String callSeparator, String resultRole, String defaultSystem) {

    /** Opens a call's argument list after the tool's name. */
    public static final String ARGS_OPEN = "(";
    /** Closes it. */
    public static final String ARGS_CLOSE = ")";
    /** Between an argument's name and its JSON value. */
    public static final char ARG_VALUE = '=';
    /** Between two arguments (one space may follow the comma). */
    public static final char ARG_SEPARATOR = ',';

    public static final ToolCallFormat OLMO3 = new ToolCallFormat("<functions>", "</functions>", "<function_calls>",
            "</function_calls>", "\n", "environment",
            "You are a helpful function-calling AI assistant. You are provided with function signatures within"
                    + " <functions></functions> XML tags. You may call one or more functions to assist with the user"
                    + " query. Output any function calls within <function_calls></function_calls> XML tags. Do not"
                    + " make assumptions about what values to plug into functions.");

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    /** A reply split into its text and its tool calls. */
    public record Reply(String content, List<ToolCall> calls) {

        public Reply {
            calls = List.copyOf(calls);
        }

        public boolean hasCalls() {
            return !calls.isEmpty();
        }
    }

    /** The tools as the system turn lists them: {@code <functions>[{"type": "function", "function": {...}}]</functions>}. */
    public String renderTools(List<ToolDefinition> tools) {
        JsonArray list = new JsonArray();
        for (ToolDefinition t : tools) {
            JsonObject fn = new JsonObject();
            fn.addProperty("name", t.name());
            fn.addProperty("description", t.description());
            fn.add("parameters", parseJson(t.parameters(), "parameters of tool '" + t.name() + "'"));
            JsonObject entry = new JsonObject();
            entry.addProperty("type", "function");
            entry.add("function", fn);
            list.add(entry);
        }
        return functionsOpen + spaced(list) + functionsClose;
    }

    /** The calls as an assistant turn writes them, after its text. */
    public String renderCalls(List<ToolCall> calls) {
        StringBuilder sb = new StringBuilder(callsOpen);
        for (int i = 0; i < calls.size(); i++) {
            if (i > 0) {
                sb.append(callSeparator);
            }
            ToolCall c = calls.get(i);
            sb.append(c.name()).append(ARGS_OPEN);
            JsonElement args = parseJson(c.arguments(), "arguments of the call of '" + c.name() + "'");
            if (!args.isJsonObject()) {
                throw new IllegalArgumentException("arguments of the call of '" + c.name() + "' = " + c.arguments()
                        + " are invalid: must be a JSON object");
            }
            boolean first = true;
            for (Map.Entry<String, JsonElement> e : args.getAsJsonObject().entrySet()) {
                if (!first) {
                    sb.append(ARG_SEPARATOR).append(' ');
                }
                first = false;
                sb.append(e.getKey()).append(ARG_VALUE).append(spaced(e.getValue()));
            }
            sb.append(ARGS_CLOSE);
        }
        return sb.append(callsClose).toString();
    }

    /**
     * Splits a generated reply into its text and its calls. Reads what {@link #renderCalls} writes, and is lenient
     * where an unconstrained model may stray: whitespace around calls and arguments, Python's {@code True},
     * {@code False}, {@code None} and single-quoted strings as values, a missing closing marker at the end.
     *
     * @throws IllegalArgumentException when a calls block is malformed, naming the call and what is wrong
     */
    public Reply parse(String reply) {
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        int at = 0;
        while (true) {
            int open = reply.indexOf(callsOpen, at);
            if (open < 0) {
                content.append(reply, at, reply.length());
                break;
            }
            content.append(reply, at, open);
            int close = reply.indexOf(callsClose, open + callsOpen.length());
            int end = close < 0 ? reply.length() : close;
            new CallReader(reply.substring(open + callsOpen.length(), end), calls).readAll();
            at = close < 0 ? reply.length() : close + callsClose.length();
        }
        return new Reply(content.toString().strip(), calls);
    }

    /**
     * For streaming a reply that may end in calls: passes the text through and holds back from where the calls
     * block may begin, so a listener shows the content and never the block (parse the whole reply for the calls).
     */
    public ContentFilter contentFilter() {
        return new ContentFilter(callsOpen);
    }

    /** See {@link #contentFilter()}. Not thread-safe: one per generation. */
    public static final class ContentFilter {
        private final String marker;
        private final StringBuilder held = new StringBuilder();
        private boolean inCalls;

        private ContentFilter(String marker) {
            this.marker = marker;
        }

        /** The part of {@code piece} (with what was held back) that is surely content. */
        public String push(String piece) {
            if (inCalls) {
                return "";
            }
            held.append(piece);
            int at = held.indexOf(marker);
            if (at >= 0) {
                inCalls = true;
                return take(at);
            }
            int keep = 0; // the longest end of held that starts the marker
            for (int k = Math.min(marker.length() - 1, held.length()); k > 0; k--) {
                if (held.substring(held.length() - k).equals(marker.substring(0, k))) {
                    keep = k;
                    break;
                }
            }
            return take(held.length() - keep);
        }

        /** At the end: what is still held back is content unless the calls block began. */
        public String flush() {
            return inCalls ? "" : take(held.length());
        }

        private String take(int n) {
            String out = held.substring(0, n);
            held.delete(0, inCalls ? held.length() : n);
            return out;
        }
    }

    /** JSON with Python's {@code json.dumps} separators ({@code ", "}, {@code ": "}), as Hugging Face's tojson writes. */
    static String spaced(JsonElement e) {
        if (e.isJsonObject()) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
                sb.append(first ? "" : ", ").append(GSON.toJson(new JsonPrimitive(m.getKey()))).append(": ")
                        .append(spaced(m.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < e.getAsJsonArray().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(spaced(e.getAsJsonArray().get(i)));
            }
            return sb.append(']').toString();
        }
        return GSON.toJson(e);
    }

    private static JsonElement parseJson(String json, String what) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(what + " = " + json + " is invalid: not JSON (" + e.getMessage() + ")");
        }
    }

    /** Reads {@code name(key=value, ...)} calls, separated by whitespace, from the inside of a calls block. */
    private static final class CallReader {
        private final String s;
        private final List<ToolCall> out;
        private int pos;

        CallReader(String s, List<ToolCall> out) {
            this.s = s;
            this.out = out;
        }

        void readAll() {
            skipSpace();
            while (pos < s.length()) {
                readCall();
                skipSpace();
            }
        }

        private void readCall() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "_-.".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            String name = s.substring(start, pos);
            if (name.isEmpty()) {
                throw error("a tool name was expected");
            }
            skipSpace();
            expect(ARGS_OPEN.charAt(0), "'(' after the tool name '" + name + "'");
            JsonObject args = new JsonObject();
            skipSpace();
            if (!peek(ARGS_CLOSE.charAt(0))) {
                do {
                    skipSpace();
                    int k = pos;
                    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                        pos++;
                    }
                    String key = s.substring(k, pos);
                    if (key.isEmpty()) {
                        throw error("an argument name of '" + name + "' was expected");
                    }
                    skipSpace();
                    expect(ARG_VALUE, "'=' after the argument '" + key + "' of '" + name + "'");
                    skipSpace();
                    args.add(key, value(name, key));
                    skipSpace();
                } while (eat(ARG_SEPARATOR));
            }
            expect(ARGS_CLOSE.charAt(0), "',' or ')' in the call of '" + name + "'");
            out.add(new ToolCall(name, GSON.toJson(args)));
        }

        /** One JSON (or Python literal) value at pos. */
        private JsonElement value(String name, String key) {
            for (String[] py : new String[][] {{"True", "true"}, {"False", "false"}, {"None", "null"}}) {
                if (s.startsWith(py[0], pos)) {
                    pos += py[0].length();
                    return JsonParser.parseString(py[1]);
                }
            }
            int start = pos;
            skipValue();
            String text = s.substring(start, pos);
            try {
                JsonReader r = new JsonReader(new StringReader(text));
                r.setStrictness(Strictness.LENIENT); // single-quoted strings
                JsonElement v = GSON.getAdapter(JsonElement.class).read(r);
                return v == null ? JsonNull.INSTANCE : v;
            } catch (Exception e) {
                throw error("the value of argument '" + key + "' of '" + name + "' is not JSON: " + text);
            }
        }

        /** Moves past one value: a string, a bracketed value (strings inside respected), or a bare token. */
        private void skipValue() {
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"' || c == '\'') {
                    skipString(c);
                    if (depth == 0) {
                        return;
                    }
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth == 0) {
                        pos++;
                        return;
                    }
                } else if (depth == 0 && (c == ARG_SEPARATOR || c == ARGS_CLOSE.charAt(0) || Character.isWhitespace(c))) {
                    return;
                }
                pos++;
            }
        }

        private void skipString(char quote) {
            pos++;
            while (pos < s.length() && s.charAt(pos) != quote) {
                pos += s.charAt(pos) == '\\' ? 2 : 1;
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean eat(char c) {
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c, String what) {
            if (!eat(c)) {
                throw error(what + " was expected");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("tool call " + (out.size() + 1) + " is malformed at character " + pos
                    + " of '" + s + "': " + what);
        }
    }
}
