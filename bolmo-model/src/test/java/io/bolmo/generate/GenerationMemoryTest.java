package io.bolmo.generate;

import io.bolmo.testing.Golden;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.engine.djl.DjlOlmoEngine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generation leaves no native arrays behind: {@code getManagedArrays()} counts the live arrays of a manager and
 * all its sub-managers (the weights', and any sequence state that was not freed), so it must not change over
 * many calls.
 */
class GenerationMemoryTest {

    @Test
    void tenThousandBolmoBytesOverManyCallsLeaveNoArrays() {
        int[] prompt = TinyModels.goldenPrompt("tiny-olmo3", "utf8_multibyte");
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BolmoModel model = Golden.loadModel(manager, "tiny-olmo3")) {
            BolmoGenerator generator = new BolmoGenerator(DjlBolmoEngine.over(model), TinyModels.goldenTrie());
            generator.generate(prompt, GenerationOptions.greedy(4), GenerationListener.NONE);
            int live = manager.getManagedArrays().size();
            int bytes = 0;
            for (int call = 0; bytes < 10_000; call++) {
                GenerationResult r = generator.generate(prompt, options(call, 500), GenerationListener.NONE);
                bytes += r.generatedUnits();
            }
            assertThat(manager.getManagedArrays()).hasSize(live);
        }
    }

    @Test
    void subwordGenerationLeavesNoArrays() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch"); OlmoModel model = TinyModels.randomOlmo3(manager)) {
            OlmoGenerator generator = new OlmoGenerator(DjlOlmoEngine.over(model), model.config(), TinyModels.goldenVocabulary());
            int[] prompt = {300, 301, 302};
            generator.generate(prompt, GenerationOptions.greedy(4), GenerationListener.NONE);
            int live = manager.getManagedArrays().size();
            for (int call = 0; call < 5; call++) {
                generator.generate(prompt, options(call, 60), GenerationListener.NONE);
            }
            assertThat(manager.getManagedArrays()).hasSize(live);
        }
    }

    /** Alternates greedy and sampled calls, some with a stop sequence, some cancelled by a limit. */
    private static GenerationOptions options(int call, int limit) {
        GenerationOptions.Builder b = GenerationOptions.builder().maxNewBytes(limit).stopAtEos(false);
        if (call % 2 == 1) {
            b.temperature(1).topK(50).topP(0.9).seed((long) call);
        }
        if (call % 3 == 2) {
            b.stop(List.of("\n\n"));
        }
        return b.build();
    }
}
