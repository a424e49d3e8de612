package io.bolmo.generate;

import io.bolmo.testing.Golden;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.engine.djl.DjlOlmoEngine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Patches;
import io.bolmo.tokenize.SubwordSuffixTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding one unit at a time computes what the whole-sequence forward computes on the same units (model.md §8.1): over
 * 220+ steps, so the global KV cache crosses many sliding-window edges (window 4).
 */
class StepwiseParityTest {

    private static final int STEPS = 230;
    private static final float TOLERANCE = 2e-4f;

    /**
     * Step k's logits (k = 0 after the prefill) score the byte at prompt position L−1+k, so they equal the full
     * forward's logits at L−2+k, given the boundaries the generation used: the prefill's for bytes 0..L−2, the
     * step-0 decision for the last prompt byte, then each fed byte's own flag.
     */
    @Test
    void bolmoStepsEqualTheFullForward() {
        SubwordSuffixTrie trie = TinyModels.goldenTrie();
        int[] prompt = TinyModels.goldenPrompt("tiny-olmo3", "ascii");
        int len = prompt.length;
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BolmoModel model = Golden.loadModel(manager, "tiny-olmo3")) {
            List<float[]> steps = new ArrayList<>();
            int[] fused = new int[STEPS + 1];
            try (AloneSequence seq = new AloneSequence(DjlBolmoEngine.over(model), trie)) {
                float[] logits = seq.prefill(prompt);
                int last = prompt[len - 1];
                steps.add(logits.clone());
                fused[0] = logits[last + BolmoConfig.PLAIN_VOCAB] > logits[last] ? last + BolmoConfig.PLAIN_VOCAB : last;
                for (int k = 1; k <= STEPS; k++) {
                    logits = seq.step(fused[k - 1]);
                    steps.add(logits.clone());
                    fused[k] = greedyByte(logits);
                }
                assertThat(seq.patches()).as("patches, enough to cross the window many times").isGreaterThan(20);
            }
            int total = len + STEPS; // prompt, then the bytes of fused[1..STEPS-1]
            int[] ids = Arrays.copyOf(prompt, total);
            boolean[] mask = new boolean[total];
            System.arraycopy(promptBoundaries(manager, model, trie, prompt), 0, mask, 0, len - 1);
            for (int j = 0; j < STEPS; j++) {
                ids[len - 1 + j] = plain(fused[j]);
                mask[len - 1 + j] = fused[j] >= BolmoConfig.PLAIN_VOCAB;
            }
            int[] sub = Arrays.stream(trie.expand(ids)).map(s -> Math.max(0, s)).toArray();
            Shape shape = new Shape(1, total);
            try (NDManager m = manager.newSubManager();
                    BolmoModel.Output full = model.forward(m.create(ids, shape), m.create(sub, shape),
                            Patches.of(new boolean[][] {mask}))) {
                float[] flat = full.logits().toFloatArray();
                for (int k = 0; k <= STEPS; k++) {
                    float[] expected = TinyModels.row(flat, len - 2 + k, model.config().vocabSize());
                    assertThat(TinyModels.maxAbsDiff(steps.get(k), expected)).as("step %d", k)
                            .isLessThanOrEqualTo(TOLERANCE);
                }
            }
        }
    }

    /** Prefill with KV caches, then one token per step, equals the forward over all tokens, row by row. */
    @Test
    void olmoStepsEqualTheFullForward() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch"); OlmoModel model = TinyModels.randomOlmo3(manager)) {
            int vocab = model.config().vocabSize();
            int[] tokens = new int[12 + STEPS];
            for (int i = 0; i < 12; i++) {
                tokens[i] = 100 + 37 * i;
            }
            List<float[]> steps = new ArrayList<>();
            Engine engine = DjlOlmoEngine.over(model);
            try (Engine.Sequence seq = engine.prefill(Arrays.copyOf(tokens, 12), null, () -> false);
                    Engine.Batch alone = engine.newBatch()) {
                alone.join(seq);
                float[] logits = seq.logits();
                for (int k = 0; k < STEPS; k++) {
                    steps.add(logits);
                    tokens[12 + k] = TinyModels.argmax(logits, 0, vocab);
                    logits = alone.step(new int[] {tokens[12 + k]}, new int[1], new boolean[] {true})[0];
                }
                steps.add(logits);
            }
            assertThat(Arrays.stream(tokens, 12, tokens.length).distinct().count()).as("distinct tokens").isGreaterThan(3);
            try (NDManager m = manager.newSubManager();
                    OlmoModel.Output full = model.forward(m.create(tokens, new Shape(1, tokens.length)))) {
                float[] flat = full.logits().toFloatArray();
                for (int k = 0; k <= STEPS; k++) {
                    assertThat(TinyModels.maxAbsDiff(steps.get(k), TinyModels.row(flat, 11 + k, vocab)))
                            .as("step %d", k).isLessThanOrEqualTo(TOLERANCE);
                }
            }
        }
    }

    /**
     * The prompt's boundaries as the prefill computes them: the predictor over the whole prompt (model.md §8.1 step 2).
     */
    private static boolean[] promptBoundaries(NDManager manager, BolmoModel model, SubwordSuffixTrie trie, int[] prompt) {
        int[] sub = Arrays.stream(trie.expand(prompt)).map(s -> Math.max(0, s)).toArray();
        Shape shape = new Shape(1, prompt.length);
        try (NDManager m = manager.newSubManager();
                BolmoModel.Output o = model.forward(m.create(prompt, shape), m.create(sub, shape))) {
            return o.boundaryMask().toBooleanArray();
        }
    }

    /** Greedy over the 512 byte symbols (EOS excluded, so every step yields a byte). */
    private static int greedyByte(float[] logits) {
        int plain = TinyModels.argmax(logits, BolmoConfig.BYTE_OFFSET, BolmoConfig.PLAIN_VOCAB);
        int flagged = TinyModels.argmax(logits, BolmoConfig.PLAIN_VOCAB + BolmoConfig.BYTE_OFFSET, BolmoConfig.FUSED_VOCAB);
        return logits[flagged] > logits[plain] ? flagged : plain;
    }

    private static int plain(int fused) {
        return fused >= BolmoConfig.PLAIN_VOCAB ? fused - BolmoConfig.PLAIN_VOCAB : fused;
    }
}
