package io.bolmo.generate.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.tokenize.ToolCall;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tool-call constraint for every tool choice: random outputs parse into calls of offered tools whose arguments
 * are valid under the tool's schema; auto leaves both text and calls possible; none never calls; required and a
 * named function always do.
 */
class ToolCallConstraintTest {

    private static final ToolCallFormat FORMAT = ToolCallFormat.OLMO3;
    private static final Map<String, SchemaCheck> CHECKS = Tools.ALL.stream()
            .collect(Collectors.toMap(ToolDefinition::name, t -> new SchemaCheck(t.parameters())));

    private static ToolCallFormat.Reply draw(ByteConstraint c, long seed, double endChance) {
        byte[] out = RandomWalk.draw(c, 400, seed, endChance);
        return FORMAT.parse(new String(out, StandardCharsets.UTF_8));
    }

    private static void assertValid(ToolCall call) {
        SchemaCheck check = CHECKS.get(call.name());
        assertThat(check).as("a call of an offered tool: %s", call.name()).isNotNull();
        assertThat(check.problem(call.arguments())).as("arguments of %s: %s", call.name(), call.arguments()).isNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void requiredAlwaysCallsOfferedToolsWithValidArguments(boolean parallel) {
        ByteConstraint c = ToolCallConstraint.of(FORMAT, Tools.ALL, ToolChoice.required(), parallel, 5);
        int maxCalls = 0;
        java.util.Set<String> called = new java.util.HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            ToolCallFormat.Reply r = draw(c, seed, 0.2);
            assertThat(r.content()).as("no text around required calls").isEmpty();
            assertThat(r.calls()).isNotEmpty();
            r.calls().forEach(ToolCallConstraintTest::assertValid);
            r.calls().forEach(call -> called.add(call.name()));
            maxCalls = Math.max(maxCalls, r.calls().size());
        }
        assertThat(called).containsExactlyInAnyOrder("get_weather", "search", "now");
        assertThat(maxCalls > 1).as("several calls in one block").isEqualTo(parallel);
    }

    @Test
    void aNamedFunctionIsTheOnlyOneCalled() {
        ByteConstraint c = ToolCallConstraint.of(FORMAT, Tools.ALL, ToolChoice.function("search"), false, 5);
        for (int seed = 0; seed < 40; seed++) {
            ToolCallFormat.Reply r = draw(c, seed, 0.2);
            assertThat(r.calls()).hasSize(1);
            assertThat(r.calls().get(0).name()).isEqualTo("search");
            assertValid(r.calls().get(0));
        }
    }

    @Test
    void noneNeverOpensACallsBlock() {
        ByteConstraint c = ToolCallConstraint.of(FORMAT, Tools.ALL, ToolChoice.none(), true, 5);
        ConstraintMatcher m = c.matcher(100, List.of());
        for (byte b : "<function_calls".getBytes(StandardCharsets.UTF_8)) {
            m.advance(b & 0xFF);
        }
        assertThat(m.allows('>')).isFalse();
        assertThat(m.mayEnd()).isTrue();
        for (int seed = 0; seed < 30; seed++) {
            byte[] out = RandomWalk.draw(c, 200, seed, 0.02);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).doesNotContain(FORMAT.callsOpen());
        }
    }

    @Test
    void autoLeavesTextAndCallsPossibleAndCallsAreValid() {
        ByteConstraint c = ToolCallConstraint.of(FORMAT, Tools.ALL, ToolChoice.auto(), true, 5);
        ConstraintMatcher start = c.matcher(400, List.of());
        assertThat(start.mayEnd()).as("an empty reply is text").isTrue();
        assertThat(start.allows('<')).isTrue();
        assertThat(start.allows('H')).isTrue();
        // a model that starts the calls block at once
        ConstraintMatcher m = c.matcher(400, List.of());
        for (byte b : "<function_calls>now()</function_calls>".getBytes(StandardCharsets.UTF_8)) {
            m.advance(b & 0xFF);
        }
        assertThat(m.isComplete()).as("nothing after the calls block").isTrue();
        // text first, then calls
        ConstraintMatcher after = c.matcher(400, List.of());
        for (byte b : "Let me check.<function_calls>get_weather(city=\"Oslo\", unit=\"celsius\")</function_calls>"
                .getBytes(StandardCharsets.UTF_8)) {
            after.advance(b & 0xFF);
        }
        assertThat(after.isComplete()).isTrue();
        for (int seed = 0; seed < 40; seed++) {
            boolean calls = seed % 2 == 0; // the model's first bytes decide
            byte[] out = RandomWalk.draw(c, 400, seed, 0.05, calls ? "<function_calls>" : "Sure");
            String text = new String(out, StandardCharsets.UTF_8);
            ToolCallFormat.Reply r = FORMAT.parse(text);
            if (calls) {
                assertThat(r.content()).isEmpty();
                assertThat(r.calls()).as(text).isNotEmpty();
                assertThat(text).endsWith(FORMAT.callsClose());
                r.calls().forEach(ToolCallConstraintTest::assertValid);
            } else {
                assertThat(r.content()).startsWith("Sure");
                r.calls().forEach(ToolCallConstraintTest::assertValid); // random text may still open a block later
            }
        }
    }

    @Test
    void argumentsComeAsKeywordsInSchemaOrder() {
        ByteConstraint c = ToolCallConstraint.of(FORMAT, List.of(Tools.WEATHER), ToolChoice.required(), false, 5);
        for (int seed = 0; seed < 30; seed++) {
            byte[] out = RandomWalk.draw(c, 200, seed, 0.3);
            String text = new String(out, StandardCharsets.UTF_8);
            assertThat(text).matches("(?s)<function_calls>get_weather\\(city=\".*\", ?unit=\"(celsius|fahrenheit)\""
                    + "(, ?days=[1-7])?\\)</function_calls>");
        }
    }

    @Test
    void badToolsAndChoicesAreRejected() {
        assertThatThrownBy(() -> ToolCallConstraint.of(FORMAT, Tools.ALL, ToolChoice.function("nope"), false, 5))
                .isInstanceOf(ConstraintException.class).hasMessageContaining("names 'nope', which is not among the"
                        + " tools [get_weather, search, now]");
        assertThatThrownBy(() -> ToolCallConstraint.of(FORMAT, List.of(), ToolChoice.required(), false, 5))
                .isInstanceOf(ConstraintException.class).hasMessageContaining("needs at least one tool");
        ToolDefinition hyphen = new ToolDefinition("f", "", "{\"type\":\"object\",\"properties\":{\"first-name\":"
                + "{\"type\":\"string\"}}}");
        assertThatThrownBy(() -> ToolCallConstraint.of(FORMAT, List.of(hyphen), ToolChoice.required(), false, 5))
                .isInstanceOf(ConstraintException.class)
                .hasMessageContaining("tool 'f' parameters #/properties/first-name")
                .hasMessageContaining("not an identifier");
        ToolDefinition notObject = new ToolDefinition("g", "", "{\"type\":\"string\"}");
        assertThatThrownBy(() -> ToolCallConstraint.of(FORMAT, List.of(notObject), ToolChoice.auto(), false, 5))
                .isInstanceOf(ConstraintException.class).hasMessageContaining("tool 'g' parameters #")
                .hasMessageContaining("must be an object schema");
    }
}
