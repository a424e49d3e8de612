package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.Arrays;

/** The small models the generation tests run on: the golden Bolmos and a random subword Olmo 3 of their shape. */
final class TinyModels {

    private TinyModels() {}

    static SubwordVocabulary goldenVocabulary() {
        return SubwordVocabulary.load(Golden.root().resolve("subword_vocab.json"));
    }

    static SubwordSuffixTrie goldenTrie() {
        return SubwordSuffixTrie.build(goldenVocabulary());
    }


    /**
     * The subword source model of golden tiny-olmo3 (2 layers, one with a 4-position sliding window) with random
     * weights; its vocabulary is the golden subword vocabulary.
     */
    static OlmoModel randomOlmo3(NDManager manager) {
        OlmoConfig config = ModelPresets.sourceModelOf(BolmoConfig.load(Golden.modelDir("tiny-olmo3").resolve("config.json")));
        return OlmoModel.create(config, Weights.from(manager, new RandomWeights(7)));
    }

    /** The golden prompt {@code id} of {@code model} (BOS first). */
    static int[] goldenPrompt(String model, String id) {
        return Golden.texts(model).stream().filter(t -> t.get("id").getAsString().equals(id)).findFirst()
                .map(t -> Golden.ints(t, "input_ids")).orElseThrow();
    }

    static int argmax(float[] logits, int from, int to) {
        int best = from;
        for (int i = from; i < to; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static float[] row(float[] flat, int row, int width) {
        return Arrays.copyOfRange(flat, row * width, (row + 1) * width);
    }
}
