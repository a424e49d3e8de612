package io.bolmo.generate.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A generation's walk: allowed bytes, ending, completion, the byte budget and stop sequences. */
class ConstraintMatcherTest {

    private static void feed(ConstraintMatcher m, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            m.advance(b & 0xFF);
        }
    }

    @Test
    void anObjectIsCompleteAtItsClosingBraceAndMayEndOnlyThere() {
        ConstraintMatcher m = ByteConstraint.jsonSchema("{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"ok\"],\"additionalProperties\":false}").matcher(100, List.of());
        assertThat(RandomWalk.allowed(m)).containsExactly('{');
        feed(m, "{\"ok\":");
        assertThat(RandomWalk.allowed(m)).containsExactly(' ', 'f', 't');
        feed(m, " tru");
        assertThat(m.mayEnd()).isFalse();
        feed(m, "e");
        assertThat(RandomWalk.allowed(m)).containsExactly('}');
        feed(m, "}");
        assertThat(m.mayEnd()).isTrue();
        assertThat(m.isComplete()).isTrue();
        assertThat(m.generated()).isEqualTo(12);
    }

    @Test
    void aNumberMayEndOrGoOn() {
        ConstraintMatcher m = ByteConstraint.jsonSchema("{\"type\":\"integer\"}").matcher(10, List.of());
        feed(m, "12");
        assertThat(m.mayEnd()).isTrue();
        assertThat(m.isComplete()).isFalse();
        assertThat(m.allows('3')).isTrue();
        assertThat(m.allows('.')).as("integers have no fraction").isFalse();
    }

    @Test
    void theBudgetStopsANumberAtTheLimitAndSteersAStringToItsClosingQuote() {
        ConstraintMatcher number = ByteConstraint.jsonSchema("{\"type\":\"integer\"}").matcher(3, List.of());
        feed(number, "123");
        assertThat(number.isComplete()).as("no byte left: complete").isTrue();

        ConstraintMatcher string = ByteConstraint.jsonSchema("{\"type\":\"string\"}").matcher(4, List.of());
        feed(string, "\"a");
        assertThat(RandomWalk.allowed(string)).as("2 bytes left: one more 1-byte character or the quote").contains('"', 'b')
                .doesNotContain(0xC3); // a 2-byte character would leave no room for the quote
        feed(string, "b");
        assertThat(RandomWalk.allowed(string)).containsExactly('"');
    }

    @Test
    void aBudgetBelowTheShortestOutputIsRejected() {
        ByteConstraint c = ByteConstraint.jsonSchema("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
                + "\"required\":[\"name\"]}");
        assertThat(c.shortestOutput()).isEqualTo("{\"name\":\"\"}".length());
        assertThatThrownBy(() -> c.matcher(10, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxNewBytes = 10 is too small for the constraint: its shortest output is 11 bytes");
        assertThat(c.matcher(11, List.of()).allows('{')).isTrue();
    }

    @Test
    void aDisallowedByteIsRefused() {
        ConstraintMatcher m = ByteConstraint.regex("[0-9]+").matcher(10, List.of());
        assertThatThrownBy(() -> m.advance('x')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("byte 120 is not allowed");
    }

    @Test
    void aStopSequenceMayOnlyEndACompleteMatch() {
        List<String> stops = List.of("<|im_end|>");
        ConstraintMatcher json = ByteConstraint.jsonSchema("{\"type\":\"string\"}").matcher(100, stops);
        feed(json, "\"a<|im_end|");
        assertThat(json.allows('>')).as("inside a string the stop sequence would cut the JSON").isFalse();
        assertThat(json.allows('x')).isTrue();

        ConstraintMatcher text = ByteConstraint.regex("[a-z<|>_ ]*").matcher(100, stops);
        feed(text, "done <|im_end|");
        assertThat(text.allows('>')).as("the text before it is a complete match").isTrue();

        ConstraintMatcher quoted = ByteConstraint.regex("x[a-z<|>_]*y").matcher(100, stops);
        feed(quoted, "x<|im_end|");
        assertThat(quoted.allows('>')).isFalse();
    }

    @Test
    void aConstraintThatRequiresAStopSequenceStillLetsItThrough() {
        ConstraintMatcher m = ByteConstraint.regex("a<\\|im_end\\|>b").matcher(100, List.of("<|im_end|>"));
        feed(m, "a<|im_end|");
        assertThat(m.allows('>')).as("masking it would leave nothing allowed").isTrue();
    }

    @Test
    void overlappingAlternativesAreFollowedUntilTheBytesTellThemApart() {
        String schema = "{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"],"
                + "\"additionalProperties\":false},{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
                + "\"b\":{\"type\":\"string\"}},\"required\":[\"a\",\"b\"],\"additionalProperties\":false}]}";
        ConstraintMatcher m = ByteConstraint.jsonSchema(schema).matcher(100, List.of());
        feed(m, "{\"a\":1");
        assertThat(RandomWalk.allowed(m)).contains('}', ',', '0');
        feed(m, ",\"b\":\"x\"}");
        assertThat(m.isComplete()).isTrue();
    }

    @Test
    void aSharedConstraintGivesEveryMatcherItsOwnPosition() {
        ByteConstraint c = ByteConstraint.regex("ab|cd");
        ConstraintMatcher first = c.matcher(5, List.of());
        ConstraintMatcher second = c.matcher(5, List.of());
        feed(first, "a");
        assertThat(RandomWalk.allowed(first)).containsExactly('b');
        assertThat(RandomWalk.allowed(second)).containsExactly('a', 'c');
    }
}
