package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.djl.DjlOlmoEngine;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.testing.Golden;
import io.bolmo.tokenize.SubwordTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bits per byte of both models against independent computations from the raw logits (model.md §5.5). */
class HeldOutEvaluationTest {

    static final String DOC = "The cat sat on the mat. Über 3 Häuser — naïve café!";

    static Bolmo bolmo;
    static NDManager manager;
    static OlmoModel teacher;
    static SubwordTokenizer tokenizer;

    @BeforeAll
    static void load() {
        bolmo = Bolmo.load(Golden.modelDir("tiny-olmo3"), Bolmo.Options.defaults().withDevice("cpu"));
        manager = NDManager.newBaseManager("PyTorch");
        teacher = randomTeacher(manager);
        tokenizer = SubwordTokenizer.open(Golden.root().resolve("subword_vocab.json"));
    }

    @AfterAll
    static void close() {
        teacher.close();
        manager.close();
        bolmo.close();
    }

    /** The subword source model of golden tiny-olmo3 with random weights (as generate.TinyModels.randomOlmo3). */
    static OlmoModel randomTeacher(NDManager m) {
        OlmoConfig config = ModelPresets.sourceModelOf(
                BolmoConfig.load(Golden.modelDir("tiny-olmo3").resolve("config.json")));
        return OlmoModel.create(config, Weights.from(m, new RandomWeights(7)));
    }

    @Test
    void bitsPerByteMatchAnIndependentComputation() {
        int eos = tokenizer.vocabulary().eosId();
        HeldOutResult r = new HeldOutEvaluation(tokenizer.encoder(), tokenizer.vocabulary(), 4096, 4096)
                .run(List.of(DOC), BolmoScorer.of(bolmo), new TeacherScorer(DjlOlmoEngine.over(teacher), teacher.config().vocabSize(), tokenizer.encoder(), eos));
        int[] utf8 = BolmoScorer.byteIds(DOC);
        assertThat(r.bytes()).isEqualTo(utf8.length);
        assertThat(r.windows()).isEqualTo(1);

        // Bolmo: BOS + bytes through the plain forward, marginal log-softmax on the host
        int[] ids = new int[utf8.length + 1];
        ids[0] = BolmoConfig.BOS_ID;
        System.arraycopy(utf8, 0, ids, 1, utf8.length);
        double bits = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch"); BolmoModel model = Golden.loadModel(m, "tiny-olmo3")) {
            Shape row = new Shape(1, ids.length);
            try (BolmoModel.Output o = model.forward(m.create(ids, row), m.create(bolmo.subwordIds(ids), row))) {
                float[] logits = o.logits().toFloatArray();
                int v = (int) o.logits().getShape().get(2);
                for (int t = 0; t < utf8.length; t++) {
                    bits -= marginal(Arrays.copyOfRange(logits, t * v, (t + 1) * v), utf8[t]) / Math.log(2);
                }
            }
        }
        assertThat(r.bolmoBitsPerByte()).isCloseTo(bits / utf8.length, within(1e-4 * bits / utf8.length));

        // teacher: EOS + tokens, plain log-softmax on the host, over the same bytes
        int[] tokens = tokenizer.encoder().encode(DOC);
        int[] input = new int[tokens.length];
        input[0] = eos;
        System.arraycopy(tokens, 0, input, 1, tokens.length - 1);
        double tbits = 0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            try (OlmoModel.Output o = teacher.forward(m.create(input, new Shape(1, input.length)))) {
                float[] logits = o.logits().toFloatArray();
                int v = (int) o.logits().getShape().get(2);
                for (int t = 0; t < tokens.length; t++) {
                    float[] row = Arrays.copyOfRange(logits, t * v, (t + 1) * v);
                    tbits -= (row[tokens[t]] - logSumExp(row)) / Math.log(2);
                }
            }
        }
        assertThat(r.teacherBitsPerByte()).isCloseTo(tbits / utf8.length, within(1e-4 * tbits / utf8.length));
        assertThat(r.tokens()).isEqualTo(tokens.length);
    }

    @Test
    void windowsScoreEveryByteOnce() {
        HeldOutResult whole = new HeldOutEvaluation(tokenizer.encoder(), tokenizer.vocabulary(), 4096, 4096)
                .run(List.of(DOC), BolmoScorer.of(bolmo), null);
        HeldOutResult cut = new HeldOutEvaluation(tokenizer.encoder(), tokenizer.vocabulary(), 16, 5)
                .run(List.of(DOC), BolmoScorer.of(bolmo), null);
        assertThat(cut.bytes()).isEqualTo(whole.bytes());
        assertThat(cut.tokens()).isEqualTo(whole.tokens());
        assertThat(cut.windows()).isGreaterThan(1);
        assertThat(cut.bolmoBitsPerByte()).isFinite();
        assertThat(whole.teacherBitsPerByte()).isNaN();
        assertThat(whole.boundaryBytes()).isEqualTo(whole.bytes() - 1); // last byte: no lookahead
    }

    @Test
    void allMassOnFlaggedIdsStillGivesFiniteCorrectLikelihood() {
        int[] bytes = BolmoScorer.byteIds("abc é");
        int l = bytes.length + 1;
        int v = 640;
        float[] logits = new float[l * v];
        Arrays.fill(logits, -1e4f); // plain ids and padding: no mass
        Random rnd = new Random(3);
        for (int t = 0; t < l; t++) {
            for (int id = BolmoConfig.PLAIN_VOCAB; id < BolmoConfig.FUSED_VOCAB; id++) {
                logits[t * v + id] = (float) rnd.nextGaussian() * 3;
            }
        }
        float[] lp = BolmoScorer.byteLogprobs(logits, v, bytes);
        for (int t = 0; t < bytes.length; t++) {
            float[] row = Arrays.copyOfRange(logits, t * v, (t + 1) * v);
            // all the probability of byte b sits on its flagged id b + 260
            double expected = row[bytes[t] + BolmoConfig.PLAIN_VOCAB] - logSumExp(row);
            assertThat(lp[t]).isFinite();
            assertThat((double) lp[t]).isCloseTo(expected, within(1e-4));
            assertThat((double) lp[t]).isCloseTo(marginal(row, bytes[t]), within(1e-4));
        }
    }

    /** ln(P(b) + P(b + 260)) from one row of fused logits. */
    static double marginal(float[] row, int plainId) {
        double z = logSumExp(row);
        return Math.log(Math.exp(row[plainId] - z) + Math.exp(row[plainId + BolmoConfig.PLAIN_VOCAB] - z));
    }

    static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : row) {
            max = Math.max(max, f);
        }
        double s = 0;
        for (float f : row) {
            s += Math.exp(f - max);
        }
        return max + Math.log(s);
    }
}
