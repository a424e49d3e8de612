package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RepetitionTest {

    private static boolean loops(String s) {
        return Repetition.loops(s.getBytes(StandardCharsets.UTF_8), 20, 3);
    }

    @Test
    void aSpanThreeTimesWithoutOverlapLoops() {
        String unit = "the problems of the Commission and ";
        assertThat(loops("y and " + unit + unit + unit + "the")).isTrue();
        assertThat(loops("y and " + unit + unit)).as("twice is not a loop").isFalse();
        assertThat(loops("a".repeat(59))).as("overlapping copies do not count").isFalse();
        assertThat(loops("a".repeat(60))).isTrue();
        assertThat(loops("Madam President, the Commission has proposed a directive on the Commission's")).isFalse();
    }

    @Test
    void openingsAreWholeWordsWithoutLeadingPunctuation() {
        assertThat(RepetitionEval.opening(", wird seine Bedeutung irgendwann gegen Null gehen", 30))
                .isEqualTo("wird seine Bedeutung");
        assertThat(RepetitionEval.opening("Unbreakableword and more", 5)).isEqualTo("Unbreakableword");
        assertThatThrownBy(() -> Repetition.loops(new byte[0], 0, 3)).hasMessageContaining("span = 0");
    }
}
