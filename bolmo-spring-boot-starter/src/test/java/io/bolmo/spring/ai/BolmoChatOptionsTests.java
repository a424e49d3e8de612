package io.bolmo.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.generate.GenerationOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.ChatOptions;

class BolmoChatOptionsTests {

    @Test
    void builderMutateAndEngineOptions() {
        BolmoChatOptions o = BolmoChatOptions.builder().model("m").temperature(0.5).topK(7).topP(0.9).maxTokens(12)
                .stopSequences(List.of("END")).seed(42L).boundaryBias(0.25).repetitionPenalty(0.5)
                .repetitionMinBytes(10).boundaries(true).build();
        BolmoChatOptions copy = o.mutate().build();
        assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o).isNotSameAs(o);
        assertThat(o.mutate().maxTokens(3).build().getMaxTokens()).isEqualTo(3);
        assertThat(o.getMaxTokens()).isEqualTo(12);

        GenerationOptions g = o.toGenerationOptions();
        assertThat(g.maxNewBytes()).isEqualTo(12);
        assertThat(g.temperature()).isEqualTo(0.5);
        assertThat(g.topK()).isEqualTo(7);
        assertThat(g.topP()).isEqualTo(0.9);
        assertThat(g.seed()).isEqualTo(42L);
        assertThat(g.stop()).containsExactly("END");
        assertThat(g.boundaryBias()).isEqualTo(0.25);
        assertThat(g.repetitionPenalty()).isEqualTo(0.5);
        assertThat(g.repetitionMinBytes()).isEqualTo(10);
        assertThat(g.reportBoundaries()).isTrue();
        assertThat(o.mutate().repetitionPenalty(1.0).build()).isNotEqualTo(o);
        assertThat(o.mutate().boundaries(false).build()).isNotEqualTo(o);
    }

    @Test
    void unsetFieldsKeepEngineDefaults() {
        GenerationOptions g = BolmoChatOptions.builder().build().toGenerationOptions();
        assertThat(g).isEqualTo(GenerationOptions.builder().build());
    }

    @Test
    void combineWithKeepsBolmoFieldsAndTakesGenericOnes() {
        BolmoChatOptions.Builder defaults = BolmoChatOptions.builder().maxTokens(100).seed(1L).boundaryBias(0.5);
        ChatOptions merged = defaults.combineWith(ChatOptions.builder().maxTokens(8).temperature(0.3)).build();
        assertThat(merged).isInstanceOf(BolmoChatOptions.class);
        BolmoChatOptions b = (BolmoChatOptions) merged;
        assertThat(b.getMaxTokens()).isEqualTo(8);
        assertThat(b.getTemperature()).isEqualTo(0.3);
        assertThat(b.getSeed()).isEqualTo(1L);
        assertThat(b.getBoundaryBias()).isEqualTo(0.5);
        BolmoChatOptions withPenalty = BolmoChatOptions.builder().repetitionPenalty(0.5).repetitionMinBytes(9)
                .combineWith(BolmoChatOptions.builder().boundaries(true).repetitionPenalty(2.0)).build();
        assertThat(withPenalty.getRepetitionPenalty()).isEqualTo(2.0);
        assertThat(withPenalty.getRepetitionMinBytes()).isEqualTo(9);
        assertThat(withPenalty.getBoundaries()).isTrue();
        BolmoChatOptions withSeed = BolmoChatOptions.builder().seed(1L)
                .combineWith(BolmoChatOptions.builder().seed(9L)).build();
        assertThat(withSeed.getSeed()).isEqualTo(9L);
    }

    @Test
    void genericOptionsAreConverted() {
        BolmoChatOptions b = BolmoChatOptions.from(ChatOptions.builder().topK(3).maxTokens(5).build());
        assertThat(b.getTopK()).isEqualTo(3);
        assertThat(b.getMaxTokens()).isEqualTo(5);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> BolmoChatOptions.builder().topP(1.5).build()).hasMessageContaining("topP = 1.5");
        assertThatThrownBy(() -> BolmoChatOptions.builder().temperature(-1.0).build())
                .hasMessageContaining("temperature = -1.0");
        assertThatThrownBy(() -> BolmoChatOptions.from(ChatOptions.builder().frequencyPenalty(0.2).build()))
                .hasMessageContaining("frequencyPenalty = 0.2");
        assertThatThrownBy(() -> BolmoChatOptions.builder().repetitionPenalty(-0.5).build())
                .hasMessageContaining("repetitionPenalty = -0.5");
        assertThatThrownBy(() -> BolmoChatOptions.builder().repetitionMinBytes(0).build())
                .hasMessageContaining("repetitionMinBytes = 0");
    }
}
