package io.bolmo.generate.constraint;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an output the way its consumers would: strict UTF-8, strict JSON (Jackson 3 and Gson, nothing after the
 * value) and validity under the schema (networknt json-schema-validator, draft 2020-12, formats asserted).
 */
public final class SchemaCheck {

    private static final JsonMapper JACKSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final Schema schema;

    public SchemaCheck(String schemaJson) {
        this.schema = REGISTRY.getSchema(schemaJson);
    }

    /** Null when {@code output} is valid UTF-8, strict JSON and valid under the schema; else what is wrong. */
    public String problem(byte[] output) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(output)).toString();
        } catch (CharacterCodingException e) {
            return "not valid UTF-8";
        }
        return problem(text);
    }

    public String problem(String text) {
        JsonNode node;
        try {
            node = JACKSON.readTree(text);
            JsonReader gson = new JsonReader(new StringReader(text));
            gson.setStrictness(Strictness.STRICT);
            new Gson().getAdapter(JsonElement.class).read(gson);
            if (gson.peek() != JsonToken.END_DOCUMENT) {
                return "Gson: content after the value";
            }
        } catch (Exception e) {
            return "not strict JSON: " + e.getMessage();
        }
        List<Error> errors = schema.validate(node);
        return errors.isEmpty() ? null : errors.toString();
    }
}
