package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Child JVMs of the batch application and waiting for files, for the kill/stop tests of every job. */
final class ByteifyJobTestSupport {

    private ByteifyJobTestSupport() {}

    /** The application in a fresh JVM with this test's class path, output to {@code log}. */
    static Process launch(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (cache != null) {
            cmd.add("-DDJL_CACHE_DIR=" + cache);
        }
        cmd.add(BolmoBatchApplication.class.getName());
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

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
