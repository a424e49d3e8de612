package io.bolmo.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void followsFnmatch() {
        assertThat(Glob.of("model.layers.*").matches("model.layers.0.mlp.up_proj.weight")).isTrue();
        assertThat(Glob.of("model.layers.*").matches("model.layersX0")).isFalse();
        assertThat(Glob.of("layers.*").matches("model.layers.0.weight")).isFalse(); // anchored
        assertThat(Glob.of("blocks*").matches("blocks.3.attention.w_q.weight")).isTrue();
        assertThat(Glob.of("*.weight").matches("model.norm.weight")).isTrue();
        assertThat(Glob.of("model.layers.?.mlp*").matches("model.layers.7.mlp.down_proj.weight")).isTrue();
        assertThat(Glob.of("model.layers.[!0].*").matches("model.layers.0.x")).isFalse();
        assertThat(Glob.of("model.layers.[01].*").matches("model.layers.1.x")).isTrue();
        assertThat(Glob.of("a+b(c)").matches("a+b(c)")).isTrue();
    }
}
