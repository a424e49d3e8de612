package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.testing.Golden;
import org.junit.jupiter.api.Test;

/** {@code bolmo chat} reads turns from a non-terminal stdin, answers each, and quits on {@code /exit}. */
class ChatCommandTest {

    @Test
    void answersEachLineUntilExit() {
        Cli r = Cli.withInput("Hi!\n\nHow are you?\n/exit\nnot read\n", "chat", "--model",
                Golden.modelDir("tiny-olmo2").toString(), "--max-bytes", "8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // two answers, each ended by a newline; no "> " prompt since stdin is not a terminal
        assertThat(r.out().lines()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(r.out()).doesNotStartWith("> ");
    }
}
