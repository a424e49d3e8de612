package io.bolmo.generate.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Regular expression constraints: random outputs are valid UTF-8 and match in full (checked with java.util.regex,
 * which agrees with ECMA-262 on these patterns); unsupported features and malformed patterns are rejected naming
 * their position.
 */
class RegexConstraintTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "[a-z]{3,8}",
        "(yes|no|maybe)",
        "\\d{3}-\\d{4}",
        "[A-Z][a-z]+( [A-Z][a-z]+)*",
        "(?:ab|a)*c",
        "[^\\x00-\\x1f]{1,20}",
        "[\\u00e0-\\u00ff\\u4e00-\\u4e10]+",
        "\\u{1F600}|[\\u{1F300}-\\u{1F320}]{2}",
        "\\w+@\\w+\\.(com|org)",
        "-?(0|[1-9]\\d*)(\\.\\d+)?",
        ".{0,5}x",
        "[\\s\\S]{4}",
        "a{2}b{0,2}c+?",
        "(?<word>\\w{1,4})!",
        "^anchored( too)?$",
        "[-a]|[\\]x]|\\.\\*",
    })
    void randomOutputsMatchInFull(String regex) {
        ByteConstraint c = ByteConstraint.regex(regex);
        Pattern p = Pattern.compile(regex.replace("\\u{1F600}", "\\x{1F600}").replace("\\u{1F300}", "\\x{1F300}")
                .replace("\\u{1F320}", "\\x{1F320}"));
        Set<String> distinct = new HashSet<>();
        for (int seed = 0; seed < 80; seed++) {
            byte[] out = RandomWalk.draw(c, 60, seed, 0.3);
            String text = strictUtf8(out);
            assertThat(p.matcher(text).matches()).as("'%s' matches %s", text, regex).isTrue();
            distinct.add(text);
        }
        assertThat(distinct.size()).as("distinct outputs").isGreaterThan(1);
    }

    @Test
    void theBudgetForcesTheShortestCompletion() {
        ByteConstraint c = ByteConstraint.regex("\"[a-z]*\"");
        assertThat(c.shortestOutput()).isEqualTo(2);
        for (int seed = 0; seed < 20; seed++) {
            byte[] out = RandomWalk.draw(c, 5, seed, 0);
            assertThat(out.length).isLessThanOrEqualTo(5);
            assertThat(new String(out, StandardCharsets.UTF_8)).matches("\"[a-z]*\"");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a(?=b)        | lookaround          | 1",
        "(a)\\1        | backreferences      | 3",
        "\\bword       | word boundaries     | 0",
        "\\p{L}+       | Unicode property    | 0",
        "a**           | nothing to repeat   | 2",
        "(ab           | unterminated group  | 0",
        "ab)           | unbalanced          | 2",
        "[b-a]         | out of order        | 1",
        "x{5,2}        | maximum below       | 1",
        "x{2000}       | above 1000          | 1",
        "a^b           | only supported at the start | 1",
        "a$b           | only supported at the end   | 1",
        "\\ud800       | lone surrogate      | 0",
    })
    void unsupportedOrMalformedPatternsNameTheirPosition(String regex, String message, int position) {
        assertThatThrownBy(() -> ByteConstraint.regex(regex.strip()))
                .isInstanceOf(ConstraintException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("at position " + position)
                .satisfies(e -> assertThat(((ConstraintException) e).where()).isEqualTo("regex"));
    }

    @Test
    void patternsThatMatchNothingOrOnlyEmptyTextAreRejected() {
        assertThatThrownBy(() -> ByteConstraint.regex("[^\\s\\S]")).isInstanceOf(ConstraintException.class)
                .hasMessageContaining("matches no text");
        assertThatThrownBy(() -> ByteConstraint.regex("(a{0})?")).isInstanceOf(ConstraintException.class)
                .hasMessageContaining("matches only the empty text");
    }

    static String strictUtf8(byte[] out) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError("not valid UTF-8: " + java.util.Arrays.toString(out), e);
        }
    }
}
