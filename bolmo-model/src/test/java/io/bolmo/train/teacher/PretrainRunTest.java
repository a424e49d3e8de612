package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsFile;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.StepMetrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pretraining as a TrainingRun: checkpoints in the shared layout, exact resume, refusal of other settings. */
class PretrainRunTest {

    @TempDir
    Path dir;

    private PretrainParameters params(String name, long steps) throws Exception {
        Path corpus = EuroparlCorpus.materialise(dir, TeacherFixtures.SLICE);
        return new PretrainParameters(dir.resolve(name), List.of(corpus), TeacherFixtures.tokenizer(), null,
                TeacherFixtures.tinyConfig(), TeacherFixtures.tinySettings(steps), 2, SafetensorsDtype.F32, "cpu");
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfTheUninterruptedOne() throws Exception {
        Path straight;
        try (PretrainRun run = PretrainRun.open(params("straight", 6), null)) {
            while (!run.finished()) {
                run.step();
            }
            straight = run.exportFinal(dir.resolve("straight/final"));
        }
        Path checkpoint;
        try (PretrainRun run = PretrainRun.open(params("resumed", 6), null)) {
            run.step();
            run.step();
            checkpoint = run.saveCheckpoint();
            run.step(); // lost, as in a crash
        }
        assertThat(RunCheckpoints.latest(dir.resolve("resumed"))).contains(checkpoint);
        Path resumed;
        try (PretrainRun run = PretrainRun.open(params("resumed", 6), checkpoint)) {
            assertThat(run.stepCount()).isEqualTo(2);
            StepMetrics m = null;
            while (!run.finished()) {
                m = run.step();
            }
            assertThat(m.step()).isEqualTo(6);
            assertThat(m.total()).isEqualTo(m.crossEntropy()).isPositive();
            HeldOutMetrics h = run.evaluate().orElseThrow();
            assertThat(h.bitsPerByte()).isPositive();
            assertThat(h.loss()).isCloseTo(h.bitsPerByte() * Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
            resumed = run.exportFinal(dir.resolve("resumed/final"));
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SafetensorsFile a = SafetensorsFile.open(straight.resolve("model.safetensors"));
                SafetensorsFile b = SafetensorsFile.open(resumed.resolve("model.safetensors"))) {
            for (String name : a.names()) {
                assertThat(b.load(name, m).toFloatArray()).as(name).containsExactly(a.load(name, m).toFloatArray());
            }
        }
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused() throws Exception {
        Path checkpoint;
        try (PretrainRun run = PretrainRun.open(params("a", 6), null)) {
            run.step();
            checkpoint = run.saveCheckpoint();
        }
        assertThatThrownBy(() -> PretrainRun.open(params("a", 9), checkpoint)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("totalSteps=6").hasMessageContaining("totalSteps=9")
                .hasMessageContaining("resume with the original parameters");
    }
}
