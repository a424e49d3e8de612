package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.Olmo;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.EngineKind;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import org.junit.jupiter.api.Test;

/**
 * The Java engine in float32 computes what DJL computes on the shipped models (trained weights, so real margins):
 * whole-sequence logits within the golden tolerance of 2e-4 and the same greedy text, for the Bolmo and for its
 * subword teacher.
 */
class EnginesAgreeTest {

    private static final String TEXT = "Madam President, the Commission has presented its proposal on the protection"
            + " of workers, and the committee has examined it with great care.";

    @Test
    void theBolmoOnBothEngines() {
        Bolmo.Options java = Bolmo.Options.defaults().withEngine("java");
        Bolmo.Options djl = Bolmo.Options.defaults().withEngine("djl");
        try (Bolmo a = Bolmo.load(SmallModel.bolmo(), java); Bolmo b = Bolmo.load(SmallModel.bolmo(), djl)) {
            assertThat(a.engine().describe()).startsWith("java");
            assertThat(b.engine().describe()).startsWith("djl");
            int[] ids = a.tokenizer().encode(TEXT);
            Scores x = a.engine().score(ids, a.subwordIds(ids));
            Scores y = b.engine().score(ids, b.subwordIds(ids));
            assertThat(x.boundaries()).containsExactly(y.boundaries());
            assertThat(maxAbsDiff(x.logits(), y.logits())).isLessThanOrEqualTo(2e-4f);
            GenerationOptions greedy = GenerationOptions.builder().maxNewBytes(120).temperature(0).build();
            assertThat(a.generate(TEXT, greedy, GenerationListener.NONE).text())
                    .isEqualTo(b.generate(TEXT, greedy, GenerationListener.NONE).text());
        }
    }

    @Test
    void theTeacherOnBothEngines() {
        LoadOptions java = LoadOptions.defaults().withEngine(EngineKind.JAVA).withDtype(WeightFormat.F32);
        LoadOptions djl = LoadOptions.defaults().withEngine(EngineKind.DJL);
        java.nio.file.Path tokenizer = SmallModel.teacher().resolve("tokenizer.json");
        try (Olmo a = Olmo.load(SmallModel.teacher(), java, tokenizer);
                Olmo b = Olmo.load(SmallModel.teacher(), djl, tokenizer)) {
            assertThat(a.engine().describe()).startsWith("java");
            int[] ids = a.encode(TEXT);
            assertThat(maxAbsDiff(a.engine().score(ids, null).logits(), b.engine().score(ids, null).logits()))
                    .isLessThanOrEqualTo(2e-4f);
            GenerationOptions greedy = GenerationOptions.builder().maxNewBytes(40).temperature(0).build();
            assertThat(a.generate(TEXT, greedy, GenerationListener.NONE).text())
                    .isEqualTo(b.generate(TEXT, greedy, GenerationListener.NONE).text());
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
