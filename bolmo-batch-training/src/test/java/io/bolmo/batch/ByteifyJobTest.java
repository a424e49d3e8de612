package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.io.CheckpointException;
import io.bolmo.train.ByteifyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
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

    private static Path reference;

    /** The uninterrupted run every interrupted one must reproduce. */
    synchronized Path reference() throws Exception {
        if (reference == null) {
            Path out = WORK.resolve("reference");
            JobExecution e = operator.start(byteify, TinyByteify.parameters(out));
            assertThat(e.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            reference = out.resolve("stage2/final");
        }
        return reference;
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
        assertThat(ByteifyRun.checkpoints(model.getParent())).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000003", "step-000006");
    }

    @Test
    void stoppedByJobOperatorThenRestartedEqualsTheUninterruptedRun() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("stopped");
        CompletableFuture<JobExecution> first = CompletableFuture.supplyAsync(() -> {
            try {
                return operator.start(byteify, TinyByteify.parameters(out));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFile(out.resolve("stage1/checkpoints/step-000003/state.json"), first);
        for (Long id : operator.getRunningExecutions("byteify")) {
            operator.stop(id);
        }
        JobExecution stopped = first.get(60, TimeUnit.SECONDS);
        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
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
        JobExecution e = operator.start(byteify, TinyByteify.parameters(args));
        assertThat(e.getStatus()).isEqualTo(BatchStatus.COMPLETED);
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
        String db = "--spring.datasource.url=jdbc:h2:file:" + WORK.resolve("db-killed/jobs") + ";FILE_LOCK=FS";
        List<String> start = new ArrayList<>(List.of("start"));
        TinyByteify.args(out).forEach((k, v) -> start.add(k + "=" + v));
        start.add(db);
        Process p = launch(start, out.resolveSibling("killed-1.log"));
        // the first chunk is checkpointed and committed soon after; the kill lands while a later chunk runs
        awaitFile(out.resolve("stage1/checkpoints/step-000003/state.json"), p);
        Thread.sleep(150);
        boolean midStage1 = !Files.exists(out.resolve("stage1/checkpoints/step-000006"));
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no context commit
        System.out.println("killed " + (midStage1 ? "during stage 1's second chunk" : "after stage 1's second chunk"));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.resolve("stage2/final")).doesNotExist();

        Process r = launch(List.of("restart", "--recover", db), out.resolveSibling("killed-2.log"));
        assertThat(r.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(r.exitValue()).as(Files.readString(out.resolveSibling("killed-2.log"))).isZero();
        assertThat(TinyByteify.maxAbsDiff(ref, out.resolve("stage2/final"))).isLessThanOrEqualTo(1e-6);
    }

    private static Process launch(List<String> args, Path log) throws IOException {
        return ByteifyJobTestSupport.launch(args, log);
    }

    private static void awaitFile(Path file, Object running) throws Exception {
        ByteifyJobTestSupport.awaitFile(file, running);
    }
}
