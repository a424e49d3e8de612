package io.bolmo.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one rule for Bolmo prompts: BOS first, plain byte ids only. */
class PromptsTest {

    @Test
    void aPromptIsPlainByteIdsWithBosFirst() {
        assertThatCode(() -> Prompts.checkBytes(new int[] {1})).doesNotThrowAnyException();
        assertThatCode(() -> Prompts.checkBytes(new int[] {1, 72, 259})).doesNotThrowAnyException();
        assertThatThrownBy(() -> Prompts.checkBytes(new int[0])).hasMessageContaining("got no ids");
        assertThatThrownBy(() -> Prompts.checkBytes(new int[] {72})).hasMessageContaining("BOS (id 1), got id 72");
        assertThatThrownBy(() -> Prompts.checkBytes(new int[] {1, 72, 332}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prompt id 332 at position 2 is not a plain byte id: allowed [0, 260)");
    }
}
