package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;

/**
 * A run's output belongs to it: another run (other parameters) or a directory of no run is refused unless the
 * caller says {@code overwrite=true}, and an execution whose process still runs is never recovered.
 */
class OutputOwnershipTest extends JobRepositoryTestBase {

    @Autowired
    Job pretrain;
    @Autowired
    Job byteify;
    @Autowired
    BolmoBatchCommands commands;
    @Autowired
    JobRepository repository;

    @Test
    void anotherRunsOutputIsRefusedUnlessOverwriteIsGiven() throws Exception {
        Path out = WORK.resolve("owned");
        JobTestSupport.complete(operator, pretrain, TinyByteify.parameters(PretrainJobTest.args(out)));
        byte[] first = Files.readAllBytes(out.resolve("final/model.safetensors"));

        Map<String, String> other = PretrainJobTest.args(out);
        other.put("seed", "6");
        assertThatThrownBy(() -> operator.start(pretrain, TinyByteify.parameters(other)))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("output " + out + " belongs to another run")
                .hasMessageContaining("seed=5 there, 6 here").hasMessageContaining("overwrite=true");
        assertThat(Files.readAllBytes(out.resolve("final/model.safetensors"))).isEqualTo(first);

        other.put("overwrite", "true");
        JobTestSupport.complete(operator, pretrain, TinyByteify.parameters(other));
        assertThat(RunDirectory.owner(out).getAsJsonObject("parameters").get("seed").getAsString()).isEqualTo("6");
        assertThat(Files.readAllBytes(out.resolve("final/model.safetensors"))).isNotEqualTo(first);
        assertThat(RunCheckpoints.list(out)).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000003", "step-000006");
    }

    @Test
    void aDirectoryThatNoRunClaimsIsRefusedAndKeptAsItIs() throws Exception {
        Path out = Files.createDirectories(WORK.resolve("someones-files"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> new PretrainJobConfiguration.Validator().validate(
                TinyByteify.parameters(PretrainJobTest.args(out))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("is not empty and no run claims it");
        assertThat(out.resolve(RunDirectory.OWNER_FILE)).doesNotExist();
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void recoveringAnExecutionThatStillRunsIsRefused() throws Exception {
        Path out = WORK.resolve("alive");
        Map<String, String> a = TinyByteify.args(out);
        a.put("stage1-steps", "300"); // long enough to be caught running
        CompletableFuture<JobExecution> running = CompletableFuture.supplyAsync(() -> {
            try {
                return operator.start(byteify, TinyByteify.parameters(a));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            JobTestSupport.awaitFile(out.resolve("stage1/checkpoints/step-000003/state.json"), running);
            long id = operator.getRunningExecutions("byteify").iterator().next();
            commands.run(new DefaultApplicationArguments("restart", String.valueOf(id), "--recover"));
            assertThat(commands.getExitCode()).isEqualTo(2);
            assertThat(repository.getJobExecution(id).getStatus()).isEqualTo(BatchStatus.STARTED);
            assertThatThrownBy(() -> TrainingJobs.requireNotRunning(repository.getJobExecution(id)))
                    .hasMessageContaining("is still running: its output " + out + " is locked by a live process");
        } finally {
            for (Long id : operator.getRunningExecutions("byteify")) {
                JobTestSupport.stop(operator, id);
            }
            assertThat(running.get(120, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.STOPPED);
        }
        assertThat(RunDirectory.isLocked(out)).isFalse();
    }

    /**
     * Restarting is idempotent: a launcher that killed a JVM just after its job completed sees a failure and
     * restarts, and that restart has nothing left to do (exit 0, no new execution).
     */
    @Test
    void restartingACompletedExecutionHasNothingToDo() throws Exception {
        JobExecution done = operator.start(byteify, TinyByteify.parameters(TinyByteify.args(WORK.resolve("done"))));
        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        commands.run(new DefaultApplicationArguments("restart", String.valueOf(done.getId()), "--recover"));
        assertThat(commands.getExitCode()).isZero();
        assertThat(repository.getLastJobExecution(done.getJobInstance()).getId()).isEqualTo(done.getId());
    }
}
