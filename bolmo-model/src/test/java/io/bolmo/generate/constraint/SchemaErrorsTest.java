package io.bolmo.generate.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad or unsupported schemas are rejected with the JSON pointer of the offending part and what is wrong. */
class SchemaErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // schema | where | message
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"minLength\":2,\"uniqueItems\":true}}} | #/properties/a/uniqueItems | \"uniqueItems\" is not supported",
        "{\"oneOf\":[{\"type\":\"string\"}]} | #/oneOf | use anyOf",
        "{\"type\":\"string\",\"frobnicate\":1} | #/frobnicate | \"frobnicate\" is not supported",
        "{\"type\":\"strin\"} | #/type | unknown type \"strin\"",
        "{\"type\":\"integer\",\"pattern\":\"a\"} | #/pattern | applies to strings",
        "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/missing\"}}} | #/properties/x/$ref | points to nothing",
        "{\"$ref\":\"http://example.com/s.json\"} | #/$ref | only references inside the schema",
        "{\"type\":\"object\",\"properties\":{\"a\":{}},\"required\":[\"b\"]} | #/required/0 | \"b\" is not declared",
        "{\"type\":\"array\",\"minItems\":3,\"maxItems\":2} | #/maxItems | below minItems",
        "{\"type\":\"integer\",\"minimum\":5,\"maximum\":4} | # | no integer lies within the bounds",
        "{\"type\":\"string\",\"minLength\":-1} | #/minLength | non-negative integer",
        "{\"type\":\"string\",\"format\":\"hostname\"} | #/format | string format \"hostname\" is not supported",
        "{\"type\":\"integer\",\"format\":\"int128\"} | #/format | number format \"int128\"",
        "{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\",\"pattern\":\"(?!x)\"}}} | #/properties/p/pattern | lookaround",
        "{\"type\":\"string\",\"enum\":[\"a\",1]} | #/enum/1 | not of type",
        "{\"anyOf\":[{\"type\":\"string\"}],\"type\":\"string\"} | #/type | beside \"anyOf\"",
        "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"} | #/$defs/a | circular $ref",
        "{\"type\":\"string\",\"pattern\":\"[0-9]\",\"maxLength\":0} | # | no string satisfies",
        "{\"type\":\"object\",\"properties\":{\"a/b~c\":{\"type\":\"nul\"}}} | #/properties/a~1b~0c/type | unknown type",
        "{\"type\":\"string\",\"maxLength\":5000} | #/maxLength | above 1000",
        "false | # | allows no value",
        "{\"type\": | schema | not valid JSON",
    })
    void badSchemasNameTheOffendingPart(String schema, String where, String message) {
        assertThatThrownBy(() -> ByteConstraint.jsonSchema(schema.strip()))
                .isInstanceOf(ConstraintException.class)
                .hasMessageContaining(message.strip())
                .satisfies(e -> assertThat(((ConstraintException) e).where()).isEqualTo(where.strip()))
                .hasMessageStartingWith(where.strip() + ": ");
    }
}
