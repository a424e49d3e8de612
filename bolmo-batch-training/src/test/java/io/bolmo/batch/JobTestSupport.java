package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;

/**
 * The interruptions that every job's tests inflict: a stop through the {@link JobOperator} once a checkpoint exists,
 * and a SIGKILL of a child JVM running the batch application, followed by its restart in another JVM.
 */
final class JobTestSupport {

    private JobTestSupport() {}

    /** Runs {@code job} in this JVM and asserts that it completed. */
    static JobExecution complete(JobOperator operator, Job job, JobParameters parameters) throws Exception {
        JobExecution e = operator.start(job, parameters);
        assertThat(e.getStatus()).as(job.getName() + " " + e.getAllFailureExceptions())
                .isEqualTo(BatchStatus.COMPLETED);
        return e;
    }

    /**
     * Starts {@code job} in the background, stops it through the operator once {@code file} exists, and returns the
     * execution, asserted {@code STOPPED}.
     */
    static JobExecution stopOnceWritten(JobOperator operator, Job job, JobParameters parameters, Path file)
            throws Exception {
        CompletableFuture<JobExecution> first = CompletableFuture.supplyAsync(() -> {
            try {
                return operator.start(job, parameters);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFile(file, first);
        for (Long id : operator.getRunningExecutions(job.getName())) {
            stop(operator, id);
        }
        JobExecution stopped = first.get(60, TimeUnit.SECONDS);
        assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
        return stopped;
    }

    /**
     * {@code JobOperator.stop}, retried when it races with the running step's chunk commit in this JVM (both update
     * the step execution; the loser gets an optimistic-locking failure).
     */
    static void stop(JobOperator operator, long id) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                operator.stop(id);
                return;
            } catch (org.springframework.batch.core.launch.JobExecutionNotRunningException e) {
                return; // it ended meanwhile
            } catch (org.springframework.dao.OptimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Runs the application with {@code args} in a child JVM and kills it (SIGKILL: no shutdown hook, no context
     * commit) shortly after {@code file} appears, while a later chunk runs.
     */
    static void killOnceWritten(List<String> args, Path file, Path log) throws Exception {
        Process p = launch(args, log);
        awaitFile(file, p);
        Thread.sleep(150);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Runs the application with {@code args} in a child JVM that halts itself, as a SIGKILL would, while it writes
     * the checkpoint at {@code checkpoint} ({@code .step-N.tmp-…}), the {@code n}-th checkpoint this JVM writes:
     * a kill at a point, not after a pause, which a fast machine could outrun (the job would finish first).
     */
    static void haltWritingCheckpoint(List<String> args, int n, Path checkpoint, Path log) throws Exception {
        Process p = launch(args, "write:" + n, log);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(137);
        assertThat(text).contains("FAULT: halting at write " + checkpoint.resolveSibling("." + checkpoint.getFileName()));
    }

    /** A file-based H2 job repository in {@code dir} that the JVMs of a test open one after another. */
    static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("jobs") + ";FILE_LOCK=FS";
    }

    /**
     * As {@link #h2Url}, each commit written to the file at once, as PostgreSQL's are: with H2's default write delay
     * (500 ms) a process killed right after a commit can lose it.
     */
    static String durableH2Url(Path dir) {
        return h2Url(dir) + ";WRITE_DELAY=0";
    }

    /** Runs the application with {@code args} in a child JVM to its end and asserts exit status 0. */
    static void runInChildJvm(List<String> args, Path log) throws Exception {
        Process r = launch(args, log);
        assertThat(r.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(r.exitValue()).as(Files.readString(log)).isZero();
    }

    /** The application in a fresh JVM with this test's class path, output to {@code log}. */
    static Process launch(List<String> args, Path log) throws IOException {
        return launch(args, null, log);
    }

    /**
     * The application in a fresh JVM with this test's class path, output to {@code log}; with a {@code fault}
     * ({@link FaultInjectingApplication}) it halts itself at that point.
     */
    static Process launch(List<String> args, String fault, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (cache != null) {
            cmd.add("-DDJL_CACHE_DIR=" + cache);
        }
        if (fault != null) {
            cmd.add("-D" + FaultInjectingApplication.PROPERTY + "=" + fault);
            cmd.add(FaultInjectingApplication.class.getName());
        } else {
            cmd.add(BolmoBatchApplication.class.getName());
        }
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for {@code file} while {@code running} (a child process or a background job) is still alive. */
    static void awaitFile(Path file, Object running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(file)) {
            boolean alive = running instanceof Process p ? p.isAlive() : !((CompletableFuture<?>) running).isDone();
            assertThat(alive).as("the job ended before " + file + " appeared").isTrue();
            assertThat(System.nanoTime()).as("timed out waiting for " + file).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
