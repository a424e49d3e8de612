package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.train.MetricsLog;
import io.bolmo.train.RunCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code finetune} job on the shared H2 repository: a chat fine-tune end to end (held-out loss per chunk, the
 * best model, metrics), stop/restart and a SIGKILLed JVM restarted with {@code --recover}, each equal to the
 * uninterrupted run; and parameter validation before anything runs.
 */
class FinetuneJobTest extends JobRepositoryTestBase {

    @Autowired
    Job finetune;

    Path reference() throws Exception {
        Path out = WORK.resolve("ft-reference");
        return referenceRun(finetune, TinyByteify.parameters(TinyFinetune.args(out)), out);
    }

    @Test
    void aChatFineTuneEvaluatesEveryChunkKeepsTheBestAndWritesMetrics() throws Exception {
        Path out = reference();
        assertThat(RunCheckpoints.list(out)).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000003", "step-000006");
        List<JsonObject> m = MetricsLog.read(out.resolve(MetricsLog.FILE));
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("train")).map(o -> o.get("step")
                .getAsLong())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("eval")).map(o -> o.get("step")
                .getAsLong())).containsExactly(0L, 3L, 6L);
        assertThat(out.resolve("best/best.json")).exists();
        for (Path model : List.of(out.resolve("final"), out.resolve("best"))) {
            try (Bolmo bolmo = Bolmo.load(model)) {
                assertThat(bolmo.generate("Answer", GenerationOptions.greedy(4), new GenerationListener() { })
                        .generatedUnits()).isPositive();
            }
        }
    }

    @Test
    void stoppedThenRestartedEqualsTheUninterruptedRun() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("ft-stopped");
        JobExecution stopped = JobTestSupport.stopOnceWritten(operator, finetune,
                TinyByteify.parameters(TinyFinetune.args(out)), out.resolve("checkpoints/step-000003/state.json"));
        assertThat(out.resolve("final")).doesNotExist();
        JobExecution restarted = operator.restart(stopped);
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertSameRun(ref, out);
    }

    @Test
    void aJvmKilledMidChunkRestartsFromItsLastCheckpoint() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("ft-killed");
        String db = "--spring.datasource.url=" + JobTestSupport.h2Url(WORK.resolve("db-ft-killed"));
        List<String> start = new ArrayList<>(List.of("start", "job=finetune"));
        TinyFinetune.args(out).forEach((k, v) -> start.add(k + "=" + v));
        start.add(db);
        // halted while the second chunk writes its checkpoint: the first one (step 3) is complete
        JobTestSupport.haltWritingCheckpoint(start, 2, out.resolve("checkpoints/step-000006"),
                out.resolveSibling("ft-killed-1.log"));
        assertThat(out.resolve("checkpoints/step-000003/state.json")).exists();
        assertThat(out.resolve("final")).doesNotExist();

        JobTestSupport.runInChildJvm(List.of("restart", "job=finetune", "--recover", db),
                out.resolveSibling("ft-killed-2.log"));
        assertSameRun(ref, out);
    }

    @Test
    void badParametersAndDataAreRefusedBeforeAnythingRuns() throws Exception {
        FinetuneJobConfiguration.Validator v = new FinetuneJobConfiguration.Validator();
        Path out = WORK.resolve("ft-invalid");
        Map<String, String[]> cases = Map.of(
                "format", new String[] {"xml", "job parameter 'format' = 'xml' is invalid: allowed: text, chat"},
                "freeze-global", new String[] {"yes", "job parameter 'freeze-global' = 'yes' is invalid: allowed: true, false"},
                "steps", new String[] {"0", "job parameter 'steps' = '0' is invalid: must be > 0"},
                "max-patches", new String[] {"500", "max-patches = 500 is invalid: must be in [3, seq-len = 192]"},
                "model", new String[] {"/no/model", "model = /no/model is invalid: no such directory"},
                "held-out-every", new String[] {"1000000", "held-out-every = 1000000 is invalid: it holds out none"});
        cases.forEach((name, c) -> {
            Map<String, String> a = TinyFinetune.args(out);
            a.put(name, c[0]);
            assertThatThrownBy(() -> v.validate(TinyByteify.parameters(a))).as(name)
                    .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining(c[1]);
        });
        Map<String, String> typo = TinyFinetune.args(out);
        typo.put("step", "5");
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(typo)))
                .hasMessageContaining("unknown job parameter 'step'; allowed: model, data, output, format");
        Path bad = WORK.resolve("bad-chats.jsonl");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, Files.readAllLines(TinyFinetune.root().resolve("chats.jsonl")).get(0) + "\n"
                + "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}\n");
        Map<String, String> a = TinyFinetune.args(out);
        a.put("data", bad.toString());
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(a)))
                .hasMessageContaining("bad-chats.jsonl:2: messages[0]: role \"bot\" is unknown; allowed: system, user,"
                        + " assistant");
        assertThatThrownBy(() -> operator.start(finetune, TinyByteify.parameters(a)))
                .isInstanceOf(InvalidJobParametersException.class);
        assertThat(out).doesNotExist();
    }

    /**
     * Same final and best weights, the same metrics (times aside). A stop ends its chunk early, which adds one
     * evaluation at the stop step; every evaluation of the uninterrupted run is still there, unchanged.
     */
    static void assertSameRun(Path ref, Path out) {
        assertThat(TinyByteify.maxAbsDiff(ref.resolve("final"), out.resolve("final"))).isLessThanOrEqualTo(1e-6);
        assertThat(TinyByteify.maxAbsDiff(ref.resolve("best"), out.resolve("best"))).isLessThanOrEqualTo(1e-6);
        List<String> mine = losses(out);
        assertThat(mine.stream().filter(l -> l.startsWith("train")).toList())
                .isEqualTo(losses(ref).stream().filter(l -> l.startsWith("train")).toList());
        assertThat(mine).containsAll(losses(ref));
    }

    private static List<String> losses(Path out) {
        return MetricsLog.read(out.resolve(MetricsLog.FILE)).stream()
                .map(o -> o.get("kind").getAsString() + "@" + o.get("step") + " loss " + o.get("loss")).toList();
    }
}
