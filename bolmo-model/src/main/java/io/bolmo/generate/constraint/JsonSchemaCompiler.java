package io.bolmo.generate.constraint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicOperations;
import io.bolmo.tokenize.ToolCallFormat;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema (the subset OpenAI's strict structured outputs accept, and a little more) into rules of a
 * {@link Grammar}: scalars become byte automata (leaves, merged when they are alternatives of one value), objects
 * and arrays become rules that call their members' rules. Recursion through {@code $ref} is unrolled up to the
 * nesting limit, so the grammar stays acyclic; an alternative that cannot fit within it is dropped.
 *
 * <p>Objects are written with their properties in the schema's order, optional ones skippable; whitespace is none
 * except at most one space after {@code :} and {@code ,} (as Python's {@code json.dumps} writes). Every keyword is
 * either enforced, a known annotation, or an error naming it: nothing is silently ignored.
 */
final class JsonSchemaCompiler {

    /** Annotations: no effect on the instances. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "title", "description",
            "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs", "definitions");
    private static final Set<String> OBJECT_KEYWORDS = Set.of("properties", "required", "additionalProperties");
    private static final Set<String> ARRAY_KEYWORDS = Set.of("items", "minItems", "maxItems");
    private static final Set<String> STRING_KEYWORDS = Set.of("pattern", "minLength", "maxLength");
    private static final Set<String> NUMBER_KEYWORDS = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum");
    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    /** Regular expressions (ECMA-262) of the string formats that are enforced. */
    private static final Map<String, String> FORMATS = Map.of(
            "date", Formats.DATE,
            "time", Formats.TIME,
            "date-time", Formats.DATE + "T" + Formats.TIME,
            "uuid", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "ipv4", "(" + Formats.OCTET + "\\.){3}" + Formats.OCTET,
            "email", Formats.EMAIL);
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("oneOf", "use anyOf (alternatives are not checked for exclusivity)"),
            Map.entry("allOf", "merge the subschemas into one"),
            Map.entry("not", "negation has no efficient automaton"),
            Map.entry("if", "conditional schemas are not supported"),
            Map.entry("patternProperties", "declare the properties, or use additionalProperties"),
            Map.entry("propertyNames", "declare the properties"),
            Map.entry("minProperties", "make properties required instead"),
            Map.entry("maxProperties", "declare the properties with additionalProperties: false"),
            Map.entry("uniqueItems", "uniqueness cannot be checked byte by byte"),
            Map.entry("contains", "not supported"),
            Map.entry("prefixItems", "tuples are not supported; use an object"),
            Map.entry("multipleOf", "not supported"),
            Map.entry("$anchor", "refer by JSON pointer (#/$defs/name)"),
            Map.entry("$dynamicRef", "refer by JSON pointer (#/$defs/name)"));

    /** A compiled value: a byte automaton (mergeable into unions) or a rule of the grammar. */
    private sealed interface Node permits Leaf, Rule {}

    private record Leaf(Automaton automaton) implements Node {}

    private record Rule(int start) implements Node {}

    /** One property of an object rule: its written key (with the separator after it) and value. */
    private record Member(byte[] key, boolean required, Node value) {}

    /** How an object is written: JSON, or a Python call's keyword arguments (a tool call). */
    record Syntax(byte[] open, byte[] close, boolean quotedKeys, byte keyValue, boolean spaceAfterKeyValue,
            byte separator) {
        static final Syntax JSON = new Syntax(bytes("{"), bytes("}"), true, (byte) ':', true, (byte) ',');

        /** {@code name(key=value, key=value)}: {@link ToolCallFormat}'s call syntax. */
        static Syntax call(String name) {
            return new Syntax(bytes(name + ToolCallFormat.ARGS_OPEN), bytes(ToolCallFormat.ARGS_CLOSE), false,
                    (byte) ToolCallFormat.ARG_VALUE, false, (byte) ToolCallFormat.ARG_SEPARATOR);
        }
    }

    private final Grammar.Builder b;
    private final JsonElement root;
    private final int maxDepth;
    private final Map<String, Node> memo = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Map<String, Automaton> leaves;

    /**
     * @param leaves shared by the compilers of one grammar, so a leaf (plain strings, numbers) is one rule however
     *               many schemas use it
     */
    JsonSchemaCompiler(Grammar.Builder b, JsonElement root, int maxDepth, Map<String, Automaton> leaves) {
        this.b = b;
        this.root = root;
        this.maxDepth = maxDepth;
        this.leaves = leaves;
    }

    /** The rule of the whole document. */
    int compileRoot() {
        Node n = compile(root, "#", 0);
        if (n == null) {
            throw new ConstraintException("the schema has no instance within the nesting limit of " + maxDepth
                    + " (a required object or array lies deeper, or a recursion never ends)", "#");
        }
        return rule(n);
    }

    /**
     * The rule of an object under {@code schema} written with {@code syntax} (a tool call's arguments), or an
     * error when the schema is not an object schema.
     */
    int compileObject(Syntax syntax, String pointer) {
        JsonElement s = resolveRefs(root, pointer);
        if (!s.isJsonObject() || !isObjectSchema(s.getAsJsonObject())) {
            throw new ConstraintException("must be an object schema (\"type\": \"object\")", pointer);
        }
        checkKeywords(s.getAsJsonObject(), pointer);
        Node n = object(s.getAsJsonObject(), pointer, 0, syntax);
        if (n == null) {
            throw new ConstraintException("no instance within the nesting limit of " + maxDepth, pointer);
        }
        return rule(n);
    }

    private JsonElement resolveRefs(JsonElement s, String pointer) {
        Set<String> seen = new HashSet<>();
        while (s.isJsonObject() && s.getAsJsonObject().has("$ref")) {
            String ref = refOf(s.getAsJsonObject(), pointer);
            if (!seen.add(ref)) {
                throw new ConstraintException("circular $ref", pointer);
            }
            s = resolve(ref, pointer + "/$ref");
            pointer = ref;
        }
        return s;
    }

    private static boolean isObjectSchema(JsonObject o) {
        JsonElement t = o.get("type");
        if (t == null) {
            return o.has("properties") || o.has("additionalProperties");
        }
        return t.isJsonPrimitive() && "object".equals(t.getAsString());
    }

    /** Any JSON value at {@code depth} containers deep. */
    private Node anyValue(int depth) {
        String key = "any@" + depth;
        Node known = memo.get(key);
        if (known != null) {
            return known;
        }
        List<Node> alts = new ArrayList<>();
        alts.add(leaf("scalar", () -> BasicOperations.union(List.of(anyString(), Numbers.any(false),
                ByteAutomata.literal("true"), ByteAutomata.literal("false"), ByteAutomata.literal("null")))));
        if (depth < maxDepth) {
            alts.add(objectRule(Syntax.JSON, List.of(), anyValue(depth + 1)));
            alts.add(arrayRule(anyValue(depth + 1), 0, -1));
        }
        Node n = union(alts);
        memo.put(key, n);
        return n;
    }

    /** The node of (sub)schema {@code s} at {@code pointer}, for a value inside {@code depth} containers; null: none fits. */
    private Node compile(JsonElement s, String pointer, int depth) {
        String key = pointer + "@" + depth;
        if (memo.containsKey(key)) {
            return memo.get(key);
        }
        if (!inProgress.add(key)) {
            throw new ConstraintException("circular $ref: the schema refers to itself without an object or array"
                    + " in between, so it has no finite instance", pointer);
        }
        try {
            Node n = compileFresh(s, pointer, depth);
            memo.put(key, n);
            return n;
        } finally {
            inProgress.remove(key);
        }
    }

    private Node compileFresh(JsonElement s, String pointer, int depth) {
        if (s.isJsonPrimitive() && s.getAsJsonPrimitive().isBoolean()) {
            if (s.getAsBoolean()) {
                return anyValue(depth);
            }
            throw new ConstraintException("the schema false allows no value", pointer);
        }
        if (!s.isJsonObject()) {
            throw new ConstraintException("a schema must be an object or a boolean, got " + s, pointer);
        }
        JsonObject o = s.getAsJsonObject();
        checkKeywords(o, pointer);
        if (o.has("$ref")) {
            onlyAnnotationsBeside(o, "$ref", pointer);
            String ref = refOf(o, pointer);
            return compile(resolve(ref, pointer + "/$ref"), ref, depth);
        }
        if (o.has("anyOf")) {
            onlyAnnotationsBeside(o, "anyOf", pointer);
            JsonArray alts = arrayOf(o, "anyOf", pointer);
            if (alts.isEmpty()) {
                throw new ConstraintException("anyOf must list at least one schema", pointer + "/anyOf");
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < alts.size(); i++) {
                Node n = compile(alts.get(i), pointer + "/anyOf/" + i, depth);
                if (n != null) {
                    nodes.add(n);
                }
            }
            return nodes.isEmpty() ? null : union(nodes);
        }
        if (o.has("enum") || o.has("const")) {
            return literals(o, pointer);
        }
        List<Node> nodes = new ArrayList<>();
        for (String type : types(o, pointer)) {
            Node n = switch (type) {
                case "object" -> object(o, pointer, depth, Syntax.JSON);
                case "array" -> array(o, pointer, depth);
                case "string" -> string(o, pointer);
                case "number", "integer" -> number(o, pointer, type.equals("integer"));
                case "boolean" -> leaf("boolean", () -> ByteAutomata.literal("true").union(ByteAutomata.literal("false")));
                case "null" -> leaf("null", () -> ByteAutomata.literal("null"));
                default -> throw new IllegalStateException(type);
            };
            if (n != null) {
                nodes.add(n);
            }
        }
        return nodes.isEmpty() ? null : union(nodes);
    }

    /** Every keyword is known: a constraint we enforce or an annotation. */
    private static void checkKeywords(JsonObject o, String pointer) {
        for (String k : o.keySet()) {
            String hint = UNSUPPORTED.get(k);
            if (hint != null) {
                throw new ConstraintException("the keyword \"" + k + "\" is not supported: " + hint, pointer + "/" + escape(k));
            }
            boolean known = ANNOTATIONS.contains(k) || OBJECT_KEYWORDS.contains(k) || ARRAY_KEYWORDS.contains(k)
                    || STRING_KEYWORDS.contains(k) || NUMBER_KEYWORDS.contains(k)
                    || Set.of("type", "enum", "const", "anyOf", "$ref", "format").contains(k);
            if (!known) {
                throw new ConstraintException("the keyword \"" + k + "\" is not supported (supported: type, enum,"
                        + " const, anyOf, $ref/$defs, properties, required, additionalProperties, items, minItems,"
                        + " maxItems, pattern, minLength, maxLength, format, minimum, maximum, exclusiveMinimum,"
                        + " exclusiveMaximum, and annotations such as description)", pointer + "/" + escape(k));
            }
        }
    }

    private static void onlyAnnotationsBeside(JsonObject o, String main, String pointer) {
        for (String k : o.keySet()) {
            if (!k.equals(main) && !ANNOTATIONS.contains(k)) {
                throw new ConstraintException("\"" + k + "\" beside \"" + main + "\" is not supported: move it into"
                        + " the " + (main.equals("$ref") ? "referenced schema" : "alternatives"), pointer + "/" + escape(k));
            }
        }
    }

    /** The listed types, or the one the keywords imply; every constraint keyword must apply to one of them. */
    private static List<String> types(JsonObject o, String pointer) {
        Set<String> types = new LinkedHashSet<>();
        JsonElement t = o.get("type");
        if (t == null) {
            if (o.keySet().stream().anyMatch(OBJECT_KEYWORDS::contains)) {
                types.add("object");
            }
            if (o.keySet().stream().anyMatch(ARRAY_KEYWORDS::contains)) {
                types.add("array");
            }
            if (o.keySet().stream().anyMatch(STRING_KEYWORDS::contains)) {
                types.add("string");
            }
            if (o.keySet().stream().anyMatch(NUMBER_KEYWORDS::contains)) {
                types.add("number");
            }
            if (types.size() > 1) {
                throw new ConstraintException("keywords of several types (" + types + ") without \"type\": add it", pointer);
            }
            if (types.isEmpty()) {
                if (o.has("format")) {
                    throw new ConstraintException("\"format\" without \"type\": add it", pointer + "/format");
                }
                types.addAll(List.of("object", "array", "string", "number", "boolean", "null"));
            }
        } else if (t.isJsonPrimitive() && t.getAsJsonPrimitive().isString()) {
            types.add(t.getAsString());
        } else if (t.isJsonArray() && !t.getAsJsonArray().isEmpty()) {
            for (JsonElement e : t.getAsJsonArray()) {
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                    throw new ConstraintException("type must be a string or an array of strings", pointer + "/type");
                }
                types.add(e.getAsString());
            }
        } else {
            throw new ConstraintException("type must be a string or a non-empty array of strings", pointer + "/type");
        }
        for (String type : types) {
            if (!TYPES.contains(type)) {
                throw new ConstraintException("unknown type \"" + type + "\" (allowed: " + String.join(", ",
                        List.of("object", "array", "string", "number", "integer", "boolean", "null")) + ")", pointer + "/type");
            }
        }
        for (String k : o.keySet()) {
            String owner = OBJECT_KEYWORDS.contains(k) ? "object" : ARRAY_KEYWORDS.contains(k) ? "array"
                    : STRING_KEYWORDS.contains(k) ? "string" : NUMBER_KEYWORDS.contains(k) ? "number" : null;
            boolean applies = owner == null || types.contains(owner)
                    || (owner.equals("number") && types.contains("integer"));
            if (!applies) {
                throw new ConstraintException("\"" + k + "\" applies to " + owner + "s, but type is " + types,
                        pointer + "/" + escape(k));
            }
        }
        return List.copyOf(types);
    }

    // ---------------------------------------------------------------- objects and arrays

    private Node object(JsonObject o, String pointer, int depth, Syntax syntax) {
        if (depth + 1 > maxDepth) {
            return null;
        }
        JsonObject props = o.has("properties") ? objectOf(o, "properties", pointer) : new JsonObject();
        Set<String> required = new HashSet<>();
        if (o.has("required")) {
            JsonArray req = arrayOf(o, "required", pointer);
            for (int i = 0; i < req.size(); i++) {
                JsonElement e = req.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                    throw new ConstraintException("required must list property names", pointer + "/required/" + i);
                }
                if (!props.has(e.getAsString())) {
                    throw new ConstraintException("required property \"" + e.getAsString() + "\" is not declared in"
                            + " properties", pointer + "/required/" + i);
                }
                required.add(e.getAsString());
            }
        }
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, JsonElement> p : props.entrySet()) {
            String at = pointer + "/properties/" + escape(p.getKey());
            Node value = compile(p.getValue(), at, depth + 1);
            boolean req = required.contains(p.getKey());
            if (value == null) {
                if (req) {
                    return null;
                }
                continue;
            }
            members.add(new Member(key(p.getKey(), syntax, at), req, value));
        }
        Node extra = null;
        JsonElement ap = o.get("additionalProperties");
        if (ap == null) { // undeclared: any members for a bare object, else only the declared ones (a valid subset)
            extra = props.size() == 0 && syntax.quotedKeys() ? anyValue(depth + 1) : null;
        } else if (ap.isJsonPrimitive() && ap.getAsJsonPrimitive().isBoolean()) {
            extra = ap.getAsBoolean() ? anyValue(depth + 1) : null;
        } else {
            extra = compile(ap, pointer + "/additionalProperties", depth + 1);
        }
        if (extra != null && !syntax.quotedKeys()) {
            throw new ConstraintException("additional properties cannot be call arguments: declare every parameter"
                    + " and set \"additionalProperties\": false", pointer);
        }
        return objectRule(syntax, members, extra, props.keySet());
    }

    /** The written key with the separator after it: {@code "name":} or {@code name=}. */
    private static byte[] key(String name, Syntax syntax, String pointer) {
        if (syntax.quotedKeys()) {
            byte[] q = JsonLiterals.string(name);
            byte[] k = java.util.Arrays.copyOf(q, q.length + 1);
            k[q.length] = syntax.keyValue();
            return k;
        }
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConstraintException("the parameter name \"" + name + "\" is not an identifier, which the call"
                    + " syntax name(key=value) needs", pointer);
        }
        return bytes(name + (char) syntax.keyValue());
    }

    private Node objectRule(Syntax syntax, List<Member> members, Node extra) {
        return objectRule(syntax, members, extra, Set.of());
    }

    /**
     * {@code {m0, m1, ...}}: members in order, optional ones skippable, then (with {@code extra}) any further
     * members whose keys are none of {@code declared}, valued by {@code extra}.
     *
     * <p>States: {@code first}, just after the opening; {@code ready[i]}, the members before i decided and at least
     * one written (an extra member returns to {@code ready[n]}). From each: the close (when all of i.. are optional),
     * or (after a separator, from {@code ready[i]}) the key of i or of a later member reachable by skipping optional
     * ones, then that member's value, returning to {@code ready[j + 1]}.
     */
    private Node objectRule(Syntax syntax, List<Member> members, Node extra, Set<String> declared) {
        int n = members.size();
        int start = b.newState();
        int end = b.newState();
        b.accept(end);
        int first = b.newState();
        b.literal(start, syntax.open(), first);
        int[] ready = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            ready[i] = b.newState();
        }
        int[] valueAt = new int[n]; // after member j's key (and the separator after it): its value
        for (int j = 0; j < n; j++) {
            valueAt[j] = valuePosition(syntax, members.get(j).value(), ready[j + 1]);
        }
        int[] extraKey = null; // {rule of an extra key, the state after it}
        if (extra != null) {
            int rule = rule(leaf("key-except:" + String.join("\u0000", declared), () -> {
                Automaton any = anyString();
                List<Automaton> names = new ArrayList<>();
                declared.forEach(d -> names.add(ByteAutomata.literal(JsonLiterals.string(d))));
                return names.isEmpty() ? any : any.minus(BasicOperations.union(names));
            }));
            int afterKey = b.newState();
            b.edge(afterKey, syntax.keyValue(), syntax.keyValue(), valuePosition(syntax, extra, ready[n]));
            extraKey = new int[] {rule, afterKey};
        }
        memberChoices(syntax, members, first, 0, false, end, valueAt, extraKey);
        for (int i = Math.min(1, n); i <= n; i++) {
            memberChoices(syntax, members, ready[i], i, true, end, valueAt, extraKey);
        }
        return new Rule(start);
    }

    /** From {@code from} with members i.. undecided: the close, or (a separator first if needed) the next key. */
    private void memberChoices(Syntax syntax, List<Member> members, int from, int i, boolean separated, int end,
            int[] valueAt, int[] extraKey) {
        boolean restOptional = members.subList(i, members.size()).stream().noneMatch(Member::required);
        if (restOptional) {
            b.literal(from, syntax.close(), end);
        }
        int keyPos = from;
        if (separated) {
            keyPos = b.newState();
            b.edge(from, syntax.separator(), syntax.separator(), keyPos);
        }
        for (int j = i; j < members.size(); j++) {
            b.literal(keyPos, members.get(j).key(), valueAt[j]);
            if (members.get(j).required()) {
                break;
            }
        }
        if (extraKey != null && restOptional) {
            b.call(keyPos, extraKey[0], extraKey[1]);
        }
        if (separated) {
            optionalSpace(keyPos);
        }
    }

    /** The state where {@code value} is read, returning to {@code then}; with the optional space before it. */
    private int valuePosition(Syntax syntax, Node value, int then) {
        int v = b.newState();
        b.call(v, rule(value), then);
        if (syntax.spaceAfterKeyValue()) {
            optionalSpace(v);
        }
        return v;
    }

    /** Lets {@code s} also be entered with one space first: a copy of it, reached by ' '. */
    private void optionalSpace(int s) {
        int spaced = b.newState();
        b.copyOutgoing(s, spaced);
        b.edge(s, ' ', ' ', spaced);
    }

    private Node array(JsonObject o, String pointer, int depth) {
        if (depth + 1 > maxDepth) {
            return null;
        }
        int[] counts = counts(o, "minItems", "maxItems", "item counts", pointer);
        int min = counts[0];
        int max = counts[1];
        Node item = o.has("items") ? compile(o.get("items"), pointer + "/items", depth + 1) : anyValue(depth + 1);
        if (item == null) {
            return min == 0 ? leaf("[]", () -> ByteAutomata.literal("[]")) : null;
        }
        return arrayRule(item, min, max);
    }

    /** {@code [item, item, ...]} with {@code min}..{@code max} items ({@code max} −1: unbounded). */
    private Node arrayRule(Node item, int min, int max) {
        int top = max >= 0 ? max : Math.max(min, 1);
        int start = b.newState();
        int end = b.newState();
        b.accept(end);
        int[] at = new int[top + 1]; // at[k]: k items written
        for (int k = 0; k <= top; k++) {
            at[k] = b.newState();
        }
        b.edge(start, '[', '[', at[0]);
        int itemRule = rule(item);
        for (int k = 0; k <= top; k++) {
            if (k >= min) {
                b.edge(at[k], ']', ']', end);
            }
            if (max >= 0 && k == max) {
                continue;
            }
            int then = k == top ? at[top] : at[k + 1];
            if (k == 0) {
                b.call(at[0], itemRule, then);
            } else {
                int next = b.newState();
                b.edge(at[k], ',', ',', next);
                b.call(next, itemRule, then);
                optionalSpace(next);
            }
        }
        return new Rule(start);
    }

    // ---------------------------------------------------------------- scalars

    private Node string(JsonObject o, String pointer) {
        int[] lengths = counts(o, "minLength", "maxLength", "string lengths", pointer);
        int minLen = lengths[0];
        int maxLen = lengths[1];
        String pattern = o.has("pattern") ? stringOf(o, "pattern", pointer) : null;
        String format = o.has("format") ? stringOf(o, "format", pointer) : null;
        if (format != null && !FORMATS.containsKey(format)) {
            throw new ConstraintException("string format \"" + format + "\" is not supported (supported: "
                    + String.join(", ", new java.util.TreeSet<>(FORMATS.keySet())) + ")", pointer + "/format");
        }
        String key = "string:" + minLen + ":" + maxLen + ":" + pattern + ":" + format;
        return leaf(key, () -> {
            Automaton ch = ByteAutomata.Encoding.JSON_STRING.encode(CodePoints.ALL);
            Automaton content = ByteAutomata.repeat(ch, minLen, maxLen);
            if (pattern != null) {
                content = content.intersection(Regex.search(pattern, ByteAutomata.Encoding.JSON_STRING,
                        pointer + "/pattern"));
            }
            if (format != null) {
                content = content.intersection(Regex.fullMatch(FORMATS.get(format), ByteAutomata.Encoding.JSON_STRING,
                        pointer + "/format"));
            }
            if (ByteAutomata.acceptsNothing(content)) {
                throw new ConstraintException("no string satisfies pattern, format and length together", pointer);
            }
            return quoted(content);
        });
    }

    private Node number(JsonObject o, String pointer, boolean integer) {
        BigDecimal lo = bound(o, "minimum", pointer);
        BigDecimal hi = bound(o, "maximum", pointer);
        BigDecimal xlo = bound(o, "exclusiveMinimum", pointer);
        BigDecimal xhi = bound(o, "exclusiveMaximum", pointer);
        boolean loStrict = false;
        boolean hiStrict = false;
        if (xlo != null && (lo == null || xlo.compareTo(lo) >= 0)) {
            lo = xlo;
            loStrict = true;
        }
        if (xhi != null && (hi == null || xhi.compareTo(hi) <= 0)) {
            hi = xhi;
            hiStrict = true;
        }
        if (o.has("format")) {
            String f = stringOf(o, "format", pointer);
            BigDecimal[] range = switch (f) {
                case "int32" -> new BigDecimal[] {BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)};
                case "int64" -> new BigDecimal[] {BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE)};
                case "float", "double" -> null;
                default -> throw new ConstraintException("number format \"" + f + "\" is not supported (supported:"
                        + " int32, int64, float, double)", pointer + "/format");
            };
            if (range != null && integer) {
                if (lo == null || lo.compareTo(range[0]) < 0) {
                    lo = range[0];
                    loStrict = false;
                }
                if (hi == null || hi.compareTo(range[1]) > 0) {
                    hi = range[1];
                    hiStrict = false;
                }
            }
        }
        BigDecimal l = lo;
        BigDecimal h = hi;
        boolean ls = loStrict;
        boolean hs = hiStrict;
        return leaf((integer ? "integer:" : "number:") + l + ls + h + hs, () -> {
            Automaton a = Numbers.range(l, ls, h, hs, integer);
            if (ByteAutomata.acceptsNothing(a)) {
                throw new ConstraintException("no " + (integer ? "integer" : "number") + " lies within the bounds",
                        pointer);
            }
            return a;
        });
    }

    private static BigDecimal bound(JsonObject o, String name, String pointer) {
        JsonElement e = o.get(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ConstraintException(name + " must be a number", pointer + "/" + name);
        }
        return e.getAsBigDecimal();
    }

    /** enum / const: the listed values, each written in one canonical compact form. */
    private Node literals(JsonObject o, String pointer) {
        for (String k : o.keySet()) {
            if (!k.equals("enum") && !k.equals("const") && !k.equals("type") && !ANNOTATIONS.contains(k)) {
                throw new ConstraintException("\"" + k + "\" beside enum/const is not supported", pointer + "/" + escape(k));
            }
        }
        List<JsonElement> values = new ArrayList<>();
        String where = pointer + (o.has("const") ? "/const" : "/enum");
        if (o.has("const")) {
            values.add(o.get("const"));
        }
        if (o.has("enum")) {
            JsonArray e = arrayOf(o, "enum", pointer);
            if (e.isEmpty()) {
                throw new ConstraintException("enum must list at least one value", where);
            }
            if (o.has("const")) {
                throw new ConstraintException("use either enum or const", pointer);
            }
            e.forEach(values::add);
        }
        List<String> types = o.has("type") ? types(o, pointer) : null;
        List<Automaton> alts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonElement v = values.get(i);
            if (types != null && !types.contains(JsonLiterals.typeOf(v))
                    && !(JsonLiterals.typeOf(v).equals("integer") && types.contains("number"))) {
                throw new ConstraintException("the value " + v + " is not of type " + types,
                        o.has("const") ? where : where + "/" + i);
            }
            alts.add(ByteAutomata.literal(JsonLiterals.canonical(v)));
        }
        return new Leaf(BasicOperations.union(alts));
    }

    // ---------------------------------------------------------------- nodes

    /** Alternatives of one value: leaves merged into one automaton, rules called side by side. */
    private Node union(List<Node> nodes) {
        if (nodes.size() == 1) {
            return nodes.get(0);
        }
        List<Automaton> leafAlts = new ArrayList<>();
        List<Node> rules = new ArrayList<>();
        for (Node n : nodes) {
            if (n instanceof Leaf l) {
                leafAlts.add(l.automaton());
            } else {
                rules.add(n);
            }
        }
        if (!leafAlts.isEmpty()) {
            rules.add(new Leaf(BasicOperations.union(leafAlts)));
        }
        if (rules.size() == 1) {
            return rules.get(0);
        }
        int start = b.newState();
        int end = b.newState();
        b.accept(end);
        for (Node n : rules) {
            b.call(start, rule(n), end);
        }
        return new Rule(start);
    }

    private int rule(Node n) {
        return n instanceof Rule r ? r.start() : b.rule(((Leaf) n).automaton());
    }

    private Leaf leaf(String key, java.util.function.Supplier<Automaton> make) {
        Automaton dfa = leaves.get(key);
        if (dfa == null) {
            dfa = make.get();
            leaves.put(key, dfa);
        }
        return new Leaf(dfa);
    }

    /** Any JSON string. */
    private static Automaton anyString() {
        return quoted(ByteAutomata.repeat(ByteAutomata.Encoding.JSON_STRING.encode(CodePoints.ALL), 0, -1));
    }

    private static Automaton quoted(Automaton content) {
        return BasicOperations.concatenate(List.of(ByteAutomata.literal("\""), content, ByteAutomata.literal("\"")));
    }

    // ---------------------------------------------------------------- schema access

    private static String refOf(JsonObject o, String pointer) {
        JsonElement r = o.get("$ref");
        if (!r.isJsonPrimitive() || !r.getAsJsonPrimitive().isString()) {
            throw new ConstraintException("$ref must be a string", pointer + "/$ref");
        }
        String ref = r.getAsString();
        if (!ref.equals("#") && !ref.startsWith("#/")) {
            throw new ConstraintException("$ref \"" + ref + "\" is not supported: only references inside the schema"
                    + " (\"#\", \"#/$defs/name\") are", pointer + "/$ref");
        }
        return ref;
    }

    /** The subschema a local JSON pointer names. */
    private JsonElement resolve(String ref, String where) {
        JsonElement at = root;
        if (ref.length() > 1) {
            for (String part : ref.substring(2).split("/", -1)) {
                String token = URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8)
                        .replace("~1", "/").replace("~0", "~");
                if (at.isJsonObject() && at.getAsJsonObject().has(token)) {
                    at = at.getAsJsonObject().get(token);
                } else if (at.isJsonArray() && token.matches("\\d+") && Integer.parseInt(token) < at.getAsJsonArray().size()) {
                    at = at.getAsJsonArray().get(Integer.parseInt(token));
                } else {
                    throw new ConstraintException("$ref \"" + ref + "\" points to nothing", where);
                }
            }
        }
        return at;
    }

    private static JsonArray arrayOf(JsonObject o, String name, String pointer) {
        JsonElement e = o.get(name);
        if (!e.isJsonArray()) {
            throw new ConstraintException(name + " must be an array", pointer + "/" + name);
        }
        return e.getAsJsonArray();
    }

    private static JsonObject objectOf(JsonObject o, String name, String pointer) {
        JsonElement e = o.get(name);
        if (!e.isJsonObject()) {
            throw new ConstraintException(name + " must be an object", pointer + "/" + name);
        }
        return e.getAsJsonObject();
    }

    private static String stringOf(JsonObject o, String name, String pointer) {
        JsonElement e = o.get(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ConstraintException(name + " must be a string", pointer + "/" + name);
        }
        return e.getAsString();
    }

    /** {min, max} of a counted repetition ({@code max} −1: none), checked against each other and the limit. */
    private static int[] counts(JsonObject o, String minName, String maxName, String what, String pointer) {
        int min = count(o, minName, pointer, 0);
        int max = count(o, maxName, pointer, -1);
        if (max >= 0 && max < min) {
            throw new ConstraintException(maxName + " " + max + " is below " + minName + " " + min, pointer + "/" + maxName);
        }
        if (Math.max(min, max) > Regex.MAX_REPEAT) {
            throw new ConstraintException(what + " above " + Regex.MAX_REPEAT + " are not supported",
                    pointer + "/" + (max > Regex.MAX_REPEAT ? maxName : minName));
        }
        return new int[] {min, max};
    }

    private static int count(JsonObject o, String name, String pointer, int absent) {
        JsonElement e = o.get(name);
        if (e == null) {
            return absent;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ConstraintException(name + " must be a non-negative integer", pointer + "/" + name);
        }
        BigDecimal v = e.getAsBigDecimal();
        if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0) {
            throw new ConstraintException(name + " must be a non-negative integer, got " + e, pointer + "/" + name);
        }
        return v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0 ? Integer.MAX_VALUE : v.intValueExact();
    }

    /** A JSON pointer token. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Regular expressions of the enforced string formats (subsets where the full format is not regular). */
    private static final class Formats {
        static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        /** Days 29-31 only in months that have them; February 29 is left out (leap years are not regular enough). */
        static final String DATE = "[0-9]{4}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
                + "|(0[13578]|1[02])-31)";
        /** Offsets within ±18:00, as java.time (and the validators built on it) accept. */
        static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]((0[0-9]|1[0-7]):[0-5][0-9]|18:00))";
        /** Host name labels of letters and digits, hyphens inside (up to 24 characters: compiles fast). */
        static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,22}[A-Za-z0-9])?";
        /** A conservative subset: a dotted local part of at most 50 characters (RFC 5321 allows 64), host labels, and one of a few common top-level domains. */
        static final String EMAIL = "[A-Za-z0-9_%+-]{1,16}(\\.[A-Za-z0-9_%+-]{1,16}){0,2}@(" + LABEL + "\\.){1,3}"
                + "(com|org|net|edu|gov|io|dev|eu|de|fr|uk|jp)";
    }
}
