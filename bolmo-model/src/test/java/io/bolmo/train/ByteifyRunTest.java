package io.bolmo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.bolmo.Bolmo;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.PatchCompression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint, resume and determinism of {@link ByteifyRun} on a tiny random teacher. */
class ByteifyRunTest {

    @TempDir
    Path dir;
    Path teacherDir;
    Path corpus;

    @BeforeEach
    void teacherAndCorpus() throws Exception {
        teacherDir = dir.resolve("teacher");
        Path tokenizer = ByteifyTrainerTest.tokenizer();
        OlmoConfig tc = ByteifyTrainerTest.tinyTeacher(SubwordVocabulary.load(tokenizer).size());
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new RandomWeights(3)))) {
            HfCheckpointWriter.to(teacherDir).config(tc.toJson()).weights(teacher.weights().all()).copy(tokenizer)
                    .write();
        }
        corpus = dir.resolve("corpus.txt");
        String sample = io.bolmo.bench.BenchResources.sampleText();
        Files.writeString(corpus, sample.replace("\n\n", "\n"));
    }

    ByteifyParameters params(String out, long steps) {
        return ByteifyParameters.stage1(teacherDir, List.of(corpus), dir.resolve(out), steps, 2, 64, 24, 5)
                .withPeakLr(3e-3).withHeldOutEvery(0)
                .withLocal(new ByteifyParameters.LocalShape(1, 1, 4, 96));
    }

    @Test
    void resumingFromACheckpointContinuesBitForBit() {
        Map<String, float[]> straight;
        try (ByteifyRun run = ByteifyRun.start(params("straight", 6))) {
            while (!run.finished()) {
                run.step();
            }
            straight = snapshot(run);
        }
        Path checkpoint;
        try (ByteifyRun run = ByteifyRun.start(params("resumed", 6))) {
            for (int i = 0; i < 2; i++) {
                run.step();
            }
            checkpoint = run.saveCheckpoint();
            run.step(); // work after the checkpoint is lost, as in a crash
        }
        assertThat(checkpoint.getFileName().toString()).isEqualTo("step-000002");
        try (ByteifyRun run = ByteifyRun.resume(checkpoint, params("resumed", 6))) {
            assertThat(run.stepCount()).isEqualTo(2);
            while (!run.finished()) {
                run.step();
            }
            assertThat(maxAbsDiff(straight, snapshot(run))).isEqualTo(0.0);

            Path stage1 = run.exportFinal(dir.resolve("resumed/final"));
            try (Bolmo bolmo = Bolmo.load(stage1)) {
                assertThat(bolmo.config().numLocalDecoderLayers()).isEqualTo(1);
            }
            // Stage 2 starts from the export, no teacher
            ByteifyParameters p2 = params("x", 6).forStage2(stage1, dir.resolve("stage2"), 2);
            try (ByteifyRun s2 = ByteifyRun.start(p2)) {
                assertThat(s2.step().losses().total()).isFinite();
                assertThat(s2.saveCheckpoint()).exists();
            }
        }
    }

    @Test
    void stage2WithCompressionResumesBitForBitAndRecordsTheOption() {
        Path stage1;
        try (ByteifyRun run = ByteifyRun.start(params("s1", 2))) {
            run.step();
            run.step();
            stage1 = run.exportFinal(dir.resolve("s1/final"));
        }
        PatchCompression bpe = PatchCompression.bpe(4.0, 3);
        java.util.function.Function<String, ByteifyParameters> p2 = out -> params("x", 6)
                .forStage2(stage1, dir.resolve(out), 5).withCompression(bpe);
        Map<String, float[]> straight;
        List<StepMetrics> straightMetrics = new java.util.ArrayList<>();
        try (ByteifyRun run = ByteifyRun.start(p2.apply("straight2"))) {
            while (!run.finished()) {
                straightMetrics.add(run.step());
            }
            straight = snapshot(run);
        }
        Path checkpoint;
        try (ByteifyRun run = ByteifyRun.start(p2.apply("resumed2"))) {
            run.step();
            run.step();
            checkpoint = run.saveCheckpoint();
        }
        try (ByteifyRun run = ByteifyRun.resume(checkpoint, p2.apply("resumed2"))) {
            List<Double> resumedLosses = new java.util.ArrayList<>();
            while (!run.finished()) {
                resumedLosses.add(run.step().losses().total());
            }
            assertThat(maxAbsDiff(straight, snapshot(run))).isEqualTo(0.0);
            assertThat(resumedLosses).isEqualTo(straightMetrics.subList(2, straightMetrics.size()).stream()
                    .map(m -> m.losses().total()).toList());
        }
        // the option is part of the checkpoint: resuming with another one (or none) is refused by name
        assertThatThrownBy(() -> ByteifyRun.resume(checkpoint, p2.apply("resumed2")
                .withCompression(PatchCompression.space(4.0, 3))))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("compression = bpe from own to 4.0 in 3 steps")
                .hasMessageContaining("compression = space from own to 4.0 in 3 steps");
        assertThatThrownBy(() -> ByteifyRun.resume(checkpoint, p2.apply("resumed2")
                .withCompression(PatchCompression.NONE)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("compression = none");
        // so is the boundary loss weight
        assertThatThrownBy(() -> ByteifyRun.resume(checkpoint, p2.apply("resumed2").withBoundaryWeight(16)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("boundary-weight = 4.0")
                .hasMessageContaining("boundary-weight = 16.0");
        // the merged targets change the boundary loss once the ramp has started (step 1 is at the own ratio)
        try (ByteifyRun plain = ByteifyRun.start(p2.apply("plain2").withCompression(PatchCompression.NONE))) {
            assertThat(plain.step().losses().boundary()).isEqualTo(straightMetrics.get(0).losses().boundary());
            plain.step();
            assertThat(plain.step().losses().boundary()).isNotEqualTo(straightMetrics.get(2).losses().boundary());
        }
        // Stage 1 refuses the option
        assertThatThrownBy(() -> params("y", 2).withCompression(bpe))
                .hasMessageContaining("compression = bpe is invalid: a Stage 2 option");
    }

    @Test
    void anInterruptedCheckpointWriteLeavesNothingThatLoads() throws IOException {
        ByteifyParameters p = params("broken", 4);
        try (ByteifyRun run = ByteifyRun.start(p)) {
            run.step();
            run.writeHook(tmp -> {
                throw new IOException("disk full (simulated)");
            });
            assertThatThrownBy(run::saveCheckpoint).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("disk full");
        }
        Path checkpoints = p.output().resolve("checkpoints");
        try (Stream<Path> s = Files.list(checkpoints)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(RunCheckpoints.latest(p.output())).isEmpty();
        assertThatThrownBy(() -> ByteifyRun.resume(RunCheckpoints.dir(p.output(), 1), p))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("not found");

        // a half-copied directory (no state.json) is refused with the reason
        Path half = RunCheckpoints.dir(p.output(), 1);
        Files.createDirectories(half);
        Files.writeString(half.resolve("config.json"), "{}");
        assertThat(RunCheckpoints.latest(p.output())).isEmpty();
        assertThatThrownBy(() -> ByteifyRun.resume(half, p)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("state.json is missing");
    }

    @Test
    void aCheckpointOfOtherParametersIsRefusedByName() {
        Path checkpoint;
        try (ByteifyRun run = ByteifyRun.start(params("other", 4))) {
            run.step();
            checkpoint = run.saveCheckpoint();
        }
        assertThatThrownBy(() -> ByteifyRun.resume(checkpoint, params("other", 5)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("steps = 4");
    }

    static Map<String, float[]> snapshot(ByteifyRun run) {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, NDArray> e : run.student().weights().all().entrySet()) {
            out.put(e.getKey(), e.getValue().toFloatArray());
        }
        return out;
    }

    static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(b.keySet()).isEqualTo(a.keySet());
        double max = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k);
            float[] y = b.get(k);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }
}
