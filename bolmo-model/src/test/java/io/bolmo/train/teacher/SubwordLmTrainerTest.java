package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny teacher on 300 Europarl documents: it learns, resumes bit-identically, and exports loadably. */
class SubwordLmTrainerTest {

    @TempDir
    static Path data;

    @TempDir
    Path dir;

    static Corpus corpus;
    static HfSubwordEncoder encoder;

    @BeforeAll
    static void open() throws Exception {
        corpus = TeacherFixtures.slice(data);
        encoder = HfSubwordEncoder.open(TeacherFixtures.tokenizer());
    }

    @AfterAll
    static void close() {
        corpus.close();
        encoder.close();
    }

    @Test
    void lossGoesDownAndHeldOutLossIsMeasured() throws Exception {
        OlmoConfig config = TeacherFixtures.tinyConfig();
        TokenBytes bytes = TokenBytes.of(SubwordVocabulary.load(TeacherFixtures.tokenizer()));
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SubwordLmTrainer t = SubwordLmTrainer.create(config, TeacherFixtures.tinySettings(30), corpus,
                        TokenDocuments.text(encoder), m)) {
            HeldOutMetrics before = t.evaluate(4, bytes);
            List<Double> losses = new ArrayList<>();
            while (!t.finished()) {
                losses.add(t.step().loss());
            }
            HeldOutMetrics after = t.evaluate(4, bytes);
            double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
            // training batches are noisy: a long Greek or Finnish document fills several consecutive tiny batches
            double bestLate = losses.subList(20, 30).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            // N(0, 0.02) weights start near the uniform distribution over 8,196 ids
            assertThat(losses.get(0)).isBetween(Math.log(8196) - 0.3, Math.log(8196) + 0.3);
            assertThat(bestLate).isLessThan(first - 1.0);
            assertThat(after.loss()).isLessThan(before.loss() - 1.0);
            assertThat(after.tokens()).isEqualTo(before.tokens()).isPositive();
            assertThat(after.bytes()).isGreaterThan(after.tokens()); // ≈ 3–4 bytes per token
            assertThat(after.bitsPerByte())
                    .isCloseTo(after.loss() * after.tokens() / (Math.log(2) * after.bytes()), within(1e-9));
        }
    }

    @Test
    void resumingFromSavedStateEqualsTrainingStraightThrough() {
        OlmoConfig config = TeacherFixtures.tinyConfig();
        TeacherSettings settings = TeacherFixtures.tinySettings(8);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            List<Double> straight = new ArrayList<>();
            Map<String, float[]> expected;
            try (SubwordLmTrainer t = SubwordLmTrainer.create(config, settings, corpus, TokenDocuments.text(encoder),
                    m)) {
                while (!t.finished()) {
                    straight.add(t.step().loss());
                }
                expected = snapshot(t.model());
            }
            List<Double> resumed = new ArrayList<>();
            Path state = dir.resolve("state");
            try (SubwordLmTrainer t = SubwordLmTrainer.create(config, settings, corpus, TokenDocuments.text(encoder),
                    m)) {
                for (int i = 0; i < 3; i++) {
                    resumed.add(t.step().loss());
                }
                t.saveState(state);
            }
            try (SubwordLmTrainer t = SubwordLmTrainer.resume(state, corpus, TokenDocuments.text(encoder), m)) {
                assertThat(t.stepCount()).isEqualTo(3);
                while (!t.finished()) {
                    resumed.add(t.step().loss());
                }
                Map<String, float[]> got = snapshot(t.model());
                assertThat(got.keySet()).isEqualTo(expected.keySet());
                double maxDiff = 0;
                for (String name : expected.keySet()) {
                    float[] a = expected.get(name);
                    float[] b = got.get(name);
                    for (int i = 0; i < a.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                    }
                }
                assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
            }
            assertThat(resumed).hasSize(8);
            for (int i = 0; i < 8; i++) {
                assertThat(resumed.get(i)).as("loss of step %d", i + 1).isCloseTo(straight.get(i), within(1e-6));
            }
        }
    }

    @Test
    void exportedDirectoryLoadsAndGivesTheSameLogits() throws Exception {
        OlmoConfig config = TeacherFixtures.tinyConfig();
        Path out = dir.resolve("teacher");
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SubwordLmTrainer t = SubwordLmTrainer.create(config, TeacherFixtures.tinySettings(3), corpus,
                        TokenDocuments.text(encoder), m)) {
            t.step();
            t.step();
            t.export(out, TeacherFixtures.tokenizer(), SafetensorsDtype.F32);
            assertThat(out.resolve("tokenizer.json")).hasSameBinaryContentAs(TeacherFixtures.tokenizer());
            int[] ids = encoder.encode("Herr Präsident, ich möchte die Kommission fragen.");
            try (NDManager s = m.newSubManager();
                    HfCheckpoint checkpoint = HfCheckpoint.open(out);
                    OlmoModel loaded = OlmoModel.create(checkpoint.olmoConfig(), Weights.from(s, checkpoint))) {
                assertThat(checkpoint.olmoConfig()).isEqualTo(config);
                NDArray tokens = s.create(ids, new Shape(1, ids.length));
                float[] want = t.model().forward(tokens).logits().toFloatArray();
                float[] got = loaded.forward(tokens).logits().toFloatArray();
                assertThat(got).hasSize(ids.length * TeacherShapes.VOCAB).containsExactly(want);
            }
            t.export(out, null, SafetensorsDtype.BF16);
            assertThat(Files.size(out.resolve("model.safetensors")))
                    .isLessThan(t.model().weights().parameterCount() * 2 + 8192);
        }
    }

    private static Map<String, float[]> snapshot(OlmoModel model) {
        Map<String, float[]> m = new java.util.TreeMap<>();
        model.weights().all().forEach((k, v) -> m.put(k, v.toFloatArray()));
        return m;
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }
}
