package io.bolmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.testing.Golden;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading a Hugging Face directory and generating through the facade, as an application does. */
class BolmoTest {

    @Test
    void loadsAGoldenDirectoryAndGeneratesTheReferenceBytes() {
        JsonObject ascii = Golden.texts("tiny-olmo3").get(0);
        try (Bolmo bolmo = Bolmo.load(Golden.modelDir("tiny-olmo3"))) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = bolmo.generate(ascii.get("text").getAsString(),
                    GenerationOptions.builder().maxNewBytes(32).stopAtEos(false).build(), new GenerationListener() {
                        @Override
                        public void onText(String piece) {
                            streamed.append(piece);
                        }
                    });
            String expected = new String(HexFormat.of().parseHex(
                    ascii.getAsJsonObject("generation").get("new_bytes_hex").getAsString()), StandardCharsets.UTF_8);
            assertThat(r.text()).isEqualTo(expected);
            assertThat(streamed.toString()).isEqualTo(expected);
            assertThat(r.promptUnits()).isEqualTo(44);
            assertThat(bolmo.device().isGpu()).isFalse();
        }
    }

    @Test
    void chatRendersTheTemplateAndEndsTheTurn() {
        try (Bolmo bolmo = Bolmo.load(Golden.modelDir("tiny-olmo2"))) {
            GenerationResult r = bolmo.chat(List.of(ChatMessage.user("Hi!")), GenerationOptions.greedy(20),
                    GenerationListener.NONE);
            assertThat(r.generatedUnits()).isLessThanOrEqualTo(20);
            assertThat(r.finishReason()).isIn(FinishReason.LENGTH, FinishReason.STOP);
            assertThat(bolmo.template().render(List.of(ChatMessage.user("Hi!"))))
                    .isEqualTo("<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n");
        }
    }

    @Test
    void unknownDeviceIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> Bolmo.resolveDevice("tpu")).hasMessageContaining("tpu")
                .hasMessageContaining("auto, cpu, gpu");
        assertThatThrownBy(() -> Bolmo.resolveDevice("gpu:7")).hasMessageContaining("gpu:7");
    }
}
