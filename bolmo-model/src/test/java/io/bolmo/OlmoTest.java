package io.bolmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.generate.FinishReason;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subword-model facade over a written checkpoint: random tiny weights with the cl100k-8192 tokenizer. */
class OlmoTest {

    @TempDir
    Path tmp;

    @Test
    void loadsADirectoryAndGeneratesFromText() throws Exception {
        Path tokenizer = Paths.get(OlmoTest.class.getResource("/tokenizers/cl100k-8192/tokenizer.json").toURI());
        OlmoConfig config = ModelPresets.sourceModelOf(ModelPresets.goldenTiny());
        Path dir = tmp.resolve("olmo");
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                OlmoModel random = OlmoModel.create(config, Weights.from(manager, new RandomWeights(3)))) {
            HfCheckpointWriter.to(dir).config(config.toJson()).weights(random.weights().all()).copy(tokenizer).write();
        }
        try (Olmo olmo = Olmo.load(dir, "cpu", null)) {
            assertThat(olmo.encode("Hello world")).hasSizeGreaterThanOrEqualTo(2);
            GenerationResult r = olmo.generate("Hello world",
                    GenerationOptions.builder().maxNewBytes(12).stopAtEos(false).build(), GenerationListener.NONE);
            assertThat(r.generatedUnits()).isEqualTo(12);
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(r.promptUnits()).isEqualTo(olmo.encode("Hello world").length);
            assertThat(r.text()).isNotEmpty();
        }
    }

    @Test
    void aMissingTokenizerIsNamed() {
        assertThatThrownBy(() -> Olmo.load(tmp, "cpu", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tmp.resolve("tokenizer.json").toString());
    }
}
