package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.io.CheckpointException;
import io.bolmo.train.ByteifyRun;
import io.bolmo.train.RunCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code byteify} job end to end on an H2 file repository: both stages, then stop/restart, a failed checkpoint
 * write and a SIGKILL of a separate JVM mid-chunk, each restarted and compared with the uninterrupted run.
 */
class ByteifyJobTest extends JobRepositoryTestBase {

    @Autowired
    Job byteify;
    @Autowired
    ByteifyTasklet stage1Tasklet;

    /** The uninterrupted run every interrupted one must reproduce. */
    Path reference() throws Exception {
        Path out = WORK.resolve("reference");
        return referenceRun(byteify, TinyByteify.parameters(out), out).resolve("stage2/final");
    }

    @Test
    void bothStagesProduceAModelThatLoadsAndGenerates() throws Exception {
        Path model = reference();
        assertThat(model.getParent().getParent().resolve("stage1/final/config.json")).exists();
        try (Bolmo bolmo = Bolmo.load(model)) {
            GenerationResult r = bolmo.generate("The ", GenerationOptions.greedy(8), new GenerationListener() { });
            assertThat(r.generatedUnits()).isPositive();
            assertThat(r.text()).isNotNull();
        }
        // two chunks per stage, at most keep-checkpoints (2) left
        assertThat(RunCheckpoints.list(model.getParent())).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000003", "step-000006");
    }

    @Test
    void stoppedByJobOperatorThenRestartedEqualsTheUninterruptedRun() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("stopped");
        JobExecution stopped = JobTestSupport.stopOnceWritten(operator, byteify, TinyByteify.parameters(out),
                out.resolve("stage1/checkpoints/step-000003/state.json"));
        assertThat(out.resolve("stage2/final")).doesNotExist();

        JobExecution restarted = operator.restart(stopped);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(stopped.getJobInstance().getInstanceId());
        assertThat(TinyByteify.maxAbsDiff(ref, out.resolve("stage2/final"))).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void aFailedCheckpointWriteLeavesNothingLoadableAndTheRestartRecovers() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("failed-write");
        stage1Tasklet.writeHook(tmp -> {
            if (tmp.getFileName().toString().startsWith(".step-000006")) {
                throw new IOException("disk full (simulated) while writing " + tmp);
            }
        });
        JobExecution failed;
        try {
            failed = operator.start(byteify, TinyByteify.parameters(out));
        } finally {
            stage1Tasklet.writeHook(null);
        }
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getAllFailureExceptions()).anySatisfy(t -> assertThat(t).hasMessageContaining("disk full"));
        Path checkpoints = out.resolve("stage1/checkpoints");
        try (Stream<Path> s = Files.list(checkpoints)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("step-000003");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ByteifyRun.resume(checkpoints.resolve("step-000006"), null))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("not found");

        JobExecution restarted = operator.restart(failed);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(TinyByteify.maxAbsDiff(ref, out.resolve("stage2/final"))).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void stage2AloneFromAGivenBolmoWithCompression() throws Exception {
        Path stage1 = reference().getParent().getParent().resolve("stage1/final");
        Path out = WORK.resolve("stage2-only");
        java.util.Map<String, String> args = TinyByteify.args(out);
        args.remove("teacher"); // Stage 2 alone needs no teacher: the tokenizer comes from init
        args.put("stage1-steps", "0");
        args.put("init", stage1.toString());
        args.put("compression", "bpe");
        args.put("compression-target", "4");
        args.put("compression-steps", "3");
        JobExecution e = JobTestSupport.complete(operator, byteify, TinyByteify.parameters(args));
        assertThat(e.getStepExecutions()).extracting(s -> s.getStepName()).containsExactly("stage2");
        assertThat(out.resolve("stage1")).doesNotExist();
        assertThat(Files.readString(out.resolve("stage2/checkpoints/step-000006/state.json")))
                .contains("\"compression\": \"bpe from own to 4.0 in 3 steps\"");
        try (Bolmo bolmo = Bolmo.load(out.resolve("stage2/final"))) {
            assertThat(bolmo.generate("The ", GenerationOptions.greedy(4), new GenerationListener() { })
                    .generatedUnits()).isPositive();
        }
    }

    @Test
    void aJvmKilledMidChunkRestartsFromItsLastCheckpoint() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("killed");
        String db = "--spring.datasource.url=" + JobTestSupport.h2Url(WORK.resolve("db-killed"));
        List<String> start = new ArrayList<>(List.of("start"));
        TinyByteify.args(out).forEach((k, v) -> start.add(k + "=" + v));
        start.add(db);
        // halted while stage 1's second chunk writes its checkpoint: the first one (step 3) is complete
        JobTestSupport.haltWritingCheckpoint(start, 2, out.resolve("stage1/checkpoints/step-000006"),
                out.resolveSibling("killed-1.log"));
        assertThat(out.resolve("stage1/checkpoints/step-000003/state.json")).exists();
        assertThat(out.resolve("stage2/final")).doesNotExist();

        JobTestSupport.runInChildJvm(List.of("restart", "--recover", db), out.resolveSibling("killed-2.log"));
        assertThat(TinyByteify.maxAbsDiff(ref, out.resolve("stage2/final"))).isLessThanOrEqualTo(1e-6);
    }
}
