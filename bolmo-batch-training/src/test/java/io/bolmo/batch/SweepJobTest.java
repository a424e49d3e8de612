package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code sweep} job with local partitions: a 2 × 2 grid of fine-tunes, evaluated and tabulated; halted as by a
 * SIGKILL during its second run (inside a checkpoint write, {@link FaultInjectingApplication}) and restarted in another
 * JVM, it completes running only what had not completed, the killed
 * run from its last checkpoint, to the weights of the uninterrupted sweep. The locations a grid file names are
 * confined like the jobs' own parameters.
 */
class SweepJobTest extends JobRepositoryTestBase {

    @Autowired
    Job sweep;

    /** The uninterrupted sweep. */
    Path reference() throws Exception {
        Path out = WORK.resolve("sweep");
        return referenceRun(sweep, TinyByteify.parameters(TinySweep.args(TinySweep.grid(out), out)), out);
    }

    @Test
    void aTwoByTwoSweepRunsEvaluatesAndTabulates() throws Exception {
        Path out = reference();
        String table = Files.readString(out.resolve(SweepJobConfiguration.TABLE));
        assertThat(table).contains("| run | lr | seed | final train loss | held-out bits/byte |")
                .contains("| run-000 | 3e-3 | 7 |").contains("| run-003 | 1e-3 | 8 |");
        assertThat(table.lines().filter(l -> l.startsWith("| run-"))).hasSize(4);
        assertThat(out.resolve(SweepJobConfiguration.PLOT)).isNotEmptyFile();
        for (String run : List.of("run-000", "run-001", "run-002", "run-003")) {
            assertThat(out.resolve("runs").resolve(run).resolve("final/model.safetensors")).exists();
        }
        // the grid's learning rates differ, so do the runs
        assertThat(TinyByteify.maxAbsDiff(out.resolve("runs/run-000/final"), out.resolve("runs/run-002/final")))
                .isGreaterThan(1e-6);
    }

    @Test
    void aSweepKilledMidRunRestartsOnlyWhatDidNotComplete() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("sweep-killed");
        Path grid = TinySweep.grid(out);
        // durable: H2's default write delay let the halt below lose run-000's committed completion in CI
        String url = JobTestSupport.durableH2Url(WORK.resolve("db-sweep"));
        List<String> start = new ArrayList<>(List.of("start", "job=sweep"));
        TinySweep.args(grid, out).forEach((k, v) -> start.add(k + "=" + v));
        start.add("--spring.datasource.url=" + url);
        // halted while run-001 writes its second checkpoint (the fourth of the sweep: runs go one at a time, two
        // checkpoints each)
        JobTestSupport.haltWritingCheckpoint(start, 4, out.resolve("runs/run-001/checkpoints/step-000002"),
                out.resolveSibling("sweep-killed-1.log"));
        assertThat(out.resolve("runs/run-001/checkpoints/step-000001/state.json")).exists();
        assertThat(out.resolve("runs/run-001/final")).doesNotExist();

        JobTestSupport.runInChildJvm(List.of("restart", "job=sweep", "--recover", "--spring.datasource.url=" + url),
                out.resolveSibling("sweep-killed-2.log"));
        assertThat(out.resolve(SweepJobConfiguration.TABLE)).exists();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            // the restart ran the killed run (from its checkpoint) and those not run yet, none that had completed
            List<String> completedFirst = stepNames(c, 1, "COMPLETED");
            assertThat(completedFirst).filteredOn(n -> n.startsWith("sweepRun:")).isNotEmpty();
            assertThat(stepNames(c, 2, null)).contains("sweepRun:run-001").doesNotContainAnyElementsOf(
                    completedFirst.stream().filter(n -> n.startsWith("sweepRun:")).toList());
            assertThat(count(c, "select count(*) from BATCH_JOB_EXECUTION e join BATCH_JOB_INSTANCE i on"
                    + " e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID where i.JOB_NAME = 'finetune'")).isEqualTo(5);
        }
        for (String run : List.of("run-000", "run-001", "run-003")) {
            assertThat(TinyByteify.maxAbsDiff(ref.resolve("runs").resolve(run).resolve("final"),
                    out.resolve("runs").resolve(run).resolve("final"))).as(run).isLessThanOrEqualTo(1e-6);
        }
    }

    /** Step names of the {@code n}-th execution of the sweep job (with {@code status}, when not null). */
    private static List<String> stepNames(Connection c, int n, String status) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet r = c.createStatement().executeQuery("select s.STEP_NAME from BATCH_STEP_EXECUTION s where"
                + (status == null ? "" : " s.STATUS = '" + status + "' and")
                + " s.JOB_EXECUTION_ID = (select e.JOB_EXECUTION_ID from BATCH_JOB_EXECUTION e join BATCH_JOB_INSTANCE"
                + " i on e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID where i.JOB_NAME = 'sweep' order by"
                + " e.JOB_EXECUTION_ID offset " + (n - 1) + " rows fetch next 1 rows only)")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void theLocationsAGridNamesAreConfinedLikeTheJobsOwnParameters() throws Exception {
        Path root = WORK.resolve("confined");
        Path data = Files.createDirectories(root.resolve("data"));
        JobParametersValidator v = new SweepJobConfiguration.Validator(new PathConfinement(data,
                root.resolve("runs")));
        Path out = root.resolve("runs/sweep");
        Path model = TinyFinetune.root().resolve("model");
        Path chats = TinyFinetune.root().resolve("chats.jsonl");
        Path corpus = TinyByteify.root().resolve("corpus.txt");
        Path grid = TinySweep.grid(data); // names the fixture's model, chats and corpus, all outside the roots

        // the evaluation's corpus
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(TinySweep.args(grid, out))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("evaluation run-000 (lr=3e-3, seed=7) of the grid is invalid")
                .hasMessageContaining("job parameter 'corpus' is refused").hasMessageContaining("leads outside");

        // the runs' model
        Files.copy(corpus, data.resolve("corpus.txt"), StandardCopyOption.REPLACE_EXISTING);
        Path inside = Files.writeString(data.resolve("inside.json"), Files.readString(grid)
                .replace(corpus.toString(), data.resolve("corpus.txt").toString()));
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(TinySweep.args(inside, out))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("run run-000 (lr=3e-3, seed=7) of the grid is invalid")
                .hasMessageContaining("job parameter 'model' is refused").hasMessageContaining("leads outside");

        // everything inside, but the corpus is a symbolic link leading out
        copyTree(model, data.resolve("model"));
        Files.copy(chats, data.resolve("chats.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(data.resolve("corpus.txt"));
        Files.createSymbolicLink(data.resolve("corpus.txt"), corpus);
        Path linked = Files.writeString(data.resolve("linked.json"), Files.readString(inside)
                .replace(model.toString(), data.resolve("model").toString())
                .replace(chats.toString(), data.resolve("chats.jsonl").toString()));
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(TinySweep.args(linked, out))))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("evaluation run-000 (lr=3e-3, seed=7) of the grid is invalid")
                .hasMessageContaining("job parameter 'corpus' is refused").hasMessageContaining("leads outside");
        assertThat(out).doesNotExist(); // refused before any run claimed its output

        // and with a real corpus the same grid is valid
        Files.delete(data.resolve("corpus.txt"));
        Files.copy(corpus, data.resolve("corpus.txt"));
        v.validate(TinyByteify.parameters(TinySweep.args(linked, out)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        io.bolmo.io.AtomicFiles.deleteTree(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
