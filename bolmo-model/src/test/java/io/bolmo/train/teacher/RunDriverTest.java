package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsFile;
import io.bolmo.train.MetricsLog;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.RunDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunDriver} over a tiny teacher pretraining: chunks with checkpoints equal a straight run, and a restart
 * resumes from the committed checkpoint, else from the newest complete one of the run on disk, never from step 0
 * while one exists; pruning keeps the committed checkpoint; what interrupted writes and deletions leave is cleared.
 */
class RunDriverTest {

    @TempDir
    Path dir;

    private PretrainParameters params(String name, long steps) throws Exception {
        Path corpus = EuroparlCorpus.materialise(dir, TeacherFixtures.SLICE);
        return new PretrainParameters(dir.resolve(name), List.of(corpus), TeacherFixtures.tokenizer(), null,
                TeacherFixtures.tinyConfig(), TeacherFixtures.tinySettings(steps), 1, SafetensorsDtype.F32, "cpu");
    }

    /** Runs {@code params} to its end from wherever it opens (after {@code committed}) and exports it. */
    private static Path finish(PretrainParameters params, Path committed, List<String> notes) {
        try (RunDriver d = RunDriver.open(PretrainRun.opener(params), committed, new RunDriver.Listener() { })) {
            notes.addAll(d.notes());
            while (!d.run().finished()) {
                RunDriver.Chunk c = d.chunk(2, () -> false);
                d.prune(1, c.checkpoint());
            }
            return d.export(params.output().resolve("final"));
        }
    }

    /** Two chunks of two steps, checkpoints kept. */
    private static void twoChunks(PretrainParameters params) {
        try (RunDriver d = RunDriver.open(PretrainRun.opener(params), null, new RunDriver.Listener() { })) {
            d.chunk(2, () -> false);
            d.chunk(2, () -> false);
        }
    }

    @Test
    void chunkedRunsAndEveryKindOfRestartEndWithTheStraightRunsWeights() throws Exception {
        Path straight = finish(params("straight", 6), null, new java.util.ArrayList<>());
        List<JsonObject> m = MetricsLog.read(dir.resolve("straight").resolve(MetricsLog.FILE));
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("train"))).hasSize(6);
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("eval")).map(o -> o.get("step")
                .getAsLong())).containsExactly(0L, 2L, 4L, 6L);
        assertThat(RunCheckpoints.list(dir.resolve("straight"))).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000006");

        // the committed checkpoint is missing: the newest complete one on disk, said so
        PretrainParameters lost = params("lost", 6);
        twoChunks(lost);
        Path committed = RunCheckpoints.dir(lost.output(), 4);
        AtomicFiles.deleteTree(committed);
        List<String> notes = new java.util.ArrayList<>();
        assertSameWeights(straight, finish(lost, committed, notes));
        assertThat(String.join("\n", notes)).contains("the committed checkpoint cannot be resumed")
                .contains("checkpoint directory not found").contains("resuming from the newest complete checkpoint"
                        + " on disk, " + RunCheckpoints.dir(lost.output(), 2));

        // nothing committed (a restart killed before its first commit): the newest on disk, not step 0
        PretrainParameters empty = params("empty", 6);
        twoChunks(empty);
        notes.clear();
        assertSameWeights(straight, finish(empty, null, notes));
        assertThat(String.join("\n", notes)).contains("no checkpoint was committed")
                .contains(RunCheckpoints.dir(empty.output(), 4).toString());
        List<JsonObject> em = MetricsLog.read(empty.output().resolve(MetricsLog.FILE));
        assertThat(em.stream().filter(o -> o.get("kind").getAsString().equals("train")).map(o -> o.get("step")
                .getAsLong())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void leftoversOfInterruptedWritesAndDeletionsAreClearedAndASwappedCopyRestored() throws Exception {
        PretrainParameters p = params("left", 6);
        twoChunks(p);
        Path checkpoints = p.output().resolve("checkpoints");
        Path four = RunCheckpoints.dir(p.output(), 4);
        // killed between the two renames of a replacement: step 4 survives only as its .old copy
        Files.move(four, checkpoints.resolve(".step-000004.old-123"), StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectories(checkpoints.resolve(".step-000006.tmp-456")); // killed mid-write
        Files.move(RunCheckpoints.dir(p.output(), 2), checkpoints.resolve(".deleted-step-000002")); // mid-prune
        try (RunDriver d = RunDriver.open(PretrainRun.opener(p), null, new RunDriver.Listener() { })) {
            assertThat(d.resumedFrom()).isEqualTo(four);
            assertThat(d.run().stepCount()).isEqualTo(4);
        }
        try (Stream<Path> s = Files.list(checkpoints)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("step-000004");
        }
    }

    @Test
    void pruningKeepsTheCommittedCheckpointAndOtherParametersAreNeverResumed() throws Exception {
        PretrainParameters p = params("prune", 6);
        twoChunks(p);
        try (RunDriver d = RunDriver.open(PretrainRun.opener(p), null, new RunDriver.Listener() { })) {
            Path six = d.chunk(2, () -> false).checkpoint();
            d.prune(1, RunCheckpoints.dir(p.output(), 2)); // the repository still names step 2
            assertThat(RunCheckpoints.list(p.output())).containsExactly(RunCheckpoints.dir(p.output(), 2), six);
        }
        // the checkpoints on disk belong to a 6-step run: a 9-step run there resumes none of them and says why
        assertThatThrownBy(() -> RunDriver.open(PretrainRun.opener(params("prune", 9)), null,
                new RunDriver.Listener() { })).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("none of the checkpoints under").hasMessageContaining("totalSteps=6")
                .hasMessageContaining("totalSteps=9");
    }

    private static void assertSameWeights(Path a, Path b) {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SafetensorsFile x = SafetensorsFile.open(a.resolve("model.safetensors"));
                SafetensorsFile y = SafetensorsFile.open(b.resolve("model.safetensors"))) {
            for (String name : x.names()) {
                assertThat(y.load(name, m).toFloatArray()).as(name).containsExactly(x.load(name, m).toFloatArray());
            }
        }
    }
}
