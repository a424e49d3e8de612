package io.bolmo.generate.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema compiler against an independent validator: outputs drawn at random from each constraint (every
 * step a uniformly random allowed byte, so rare branches are taken too) are strict JSON, valid UTF-8 and valid under
 * their schema (networknt, draft 2020-12, formats asserted), for many seeds and byte budgets.
 */
class JsonSchemaConstraintTest {

    static List<String> schemaNames() {
        return new ArrayList<>(Schemas.all().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void randomOutputsAreValidUnderTheSchema(String name) {
        String schema = Schemas.get(name);
        ByteConstraint c = ByteConstraint.jsonSchema(schema, 6);
        SchemaCheck check = new SchemaCheck(schema);
        Set<String> distinct = new HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            int budget = c.shortestOutput() + (seed % 3 == 0 ? 0 : 10 * seed);
            byte[] out = RandomWalk.draw(c, budget, seed, seed % 2 == 0 ? 0.02 : 0.3);
            assertThat(out.length).as("within the budget").isLessThanOrEqualTo(budget);
            assertThat(check.problem(out)).as("%s seed %d: %s", name, seed, new String(out, StandardCharsets.UTF_8))
                    .isNull();
            distinct.add(new String(out, StandardCharsets.UTF_8));
        }
        assertThat(distinct.size()).as("different outputs for different seeds").isGreaterThan(2);
    }

    @Test
    void theShortestBudgetGivesTheShortestOutput() {
        ByteConstraint c = ByteConstraint.jsonSchema(Schemas.get("person"));
        // the optional email skipped, the shortest value of each property (the name has minLength 1)
        assertThat(c.shortestOutput()).isEqualTo("{\"name\":\"x\",\"age\":0,\"nickname\":\"\"}".length());
        byte[] out = RandomWalk.draw(c, c.shortestOutput(), 1, 0);
        assertThat(out).hasSize(c.shortestOutput());
        assertThat(new SchemaCheck(Schemas.get("person")).problem(out)).isNull();
    }

    @Test
    void propertiesComeInSchemaOrderAndRequiredOnesAlways() {
        ByteConstraint c = ByteConstraint.jsonSchema(Schemas.get("person"));
        for (int seed = 0; seed < 40; seed++) {
            String out = new String(RandomWalk.draw(c, 200, seed, 0.2), StandardCharsets.UTF_8);
            List<String> keys = new ArrayList<>(JsonParser.parseString(out).getAsJsonObject().keySet());
            assertThat(keys).as(out).containsSubsequence("name", "age", "nickname");
            if (keys.contains("email")) {
                assertThat(keys).as(out).containsExactly("name", "age", "email", "nickname");
            }
        }
    }

    @Test
    void anyJsonStaysWithinItsDepth() {
        for (int depth = 1; depth <= 4; depth++) {
            ByteConstraint c = ByteConstraint.anyJson(depth);
            ByteConstraint object = ByteConstraint.jsonObject(depth);
            for (int seed = 0; seed < 40; seed++) {
                JsonElement v = JsonParser.parseString(new String(RandomWalk.draw(c, 300, seed, 0.05), StandardCharsets.UTF_8));
                assertThat(depthOf(v)).isLessThanOrEqualTo(depth);
                String o = new String(RandomWalk.draw(object, 300, seed, 0.05), StandardCharsets.UTF_8);
                assertThat(new SchemaCheck("{\"type\":\"object\"}").problem(o)).as(o).isNull();
                assertThat(depthOf(JsonParser.parseString(o))).isLessThanOrEqualTo(depth);
            }
        }
    }

    @Test
    void recursionIsUnrolledToTheDepthLimit() {
        String schema = Schemas.get("recursive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ByteConstraint.jsonSchema(schema, 1))
                .as("a node needs its children array: two levels").isInstanceOf(ConstraintException.class);
        for (int depth = 2; depth <= 6; depth++) {
            ByteConstraint c = ByteConstraint.jsonSchema(schema, depth);
            for (int seed = 0; seed < 20; seed++) {
                byte[] out = RandomWalk.draw(c, 400, seed, 0.01);
                assertThat(new SchemaCheck(schema).problem(out)).isNull();
                assertThat(depthOf(JsonParser.parseString(new String(out, StandardCharsets.UTF_8)))).isLessThanOrEqualTo(depth);
            }
        }
    }

    @Test
    void aRequiredRecursionWithoutEndIsRejected() {
        String endless = "{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#\"}},\"required\":[\"next\"]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ByteConstraint.jsonSchema(endless, 5))
                .isInstanceOf(ConstraintException.class).hasMessageContaining("no instance within the nesting limit of 5");
    }

    @Test
    void whitespaceIsAtMostOneSpaceAfterColonsAndCommas() {
        ByteConstraint c = ByteConstraint.jsonSchema(Schemas.get("arrayOfObjects"));
        for (int seed = 0; seed < 30; seed++) {
            String out = new String(RandomWalk.draw(c, 300, seed, 0.1), StandardCharsets.UTF_8);
            String outsideStrings = out.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
            assertThat(outsideStrings).as(out).doesNotContain("  ").doesNotContain("\n").doesNotStartWith(" ")
                    .doesNotContain("{ ").doesNotContain("[ ").doesNotContain(" ,").doesNotContain(" }");
        }
    }

    @Test
    void concurrentCompilationsAgree() throws Exception {
        List<String> names = List.of("person", "formats", "springAi", "unions");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> outputs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String schema = Schemas.get(names.get(i % names.size()));
                outputs.add(pool.submit(() -> new String(RandomWalk.draw(ByteConstraint.jsonSchema(schema), 200, 3, 0.1),
                        StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < outputs.size(); i++) {
                String schema = Schemas.get(names.get(i % names.size()));
                String expected = new String(RandomWalk.draw(ByteConstraint.jsonSchema(schema), 200, 3, 0.1),
                        StandardCharsets.UTF_8);
                assertThat(outputs.get(i).get()).as("compiled concurrently, the same automaton").isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static int depthOf(JsonElement v) {
        if (v.isJsonObject()) {
            return 1 + v.getAsJsonObject().entrySet().stream().mapToInt(e -> depthOf(e.getValue())).max().orElse(0);
        }
        if (v.isJsonArray()) {
            int max = 0;
            for (JsonElement e : v.getAsJsonArray()) {
                max = Math.max(max, depthOf(e));
            }
            return 1 + max;
        }
        return 0;
    }
}
