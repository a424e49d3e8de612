package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import io.bolmo.train.MetricsLog;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code pretrain} job (the subword teacher) on the shared H2 repository, on 300 Europarl documents: it writes
 * checkpoints, metrics with held-out evaluations and a loadable export; stopped and restarted it ends with the
 * uninterrupted run's weights; bad parameters are refused by name before anything runs.
 */
class PretrainJobTest extends JobRepositoryTestBase {

    @Autowired
    Job pretrain;

    static Map<String, String> args(Path output) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("output", output.toString());
        a.put("corpus", EuroparlCorpus.materialise(WORK.resolve("europarl-300"), 300).toString());
        a.put("steps", "6");
        a.put("chunk-size", "3");
        a.put("batch-size", "4");
        a.put("seq-len", "32");
        a.put("lr", "1e-2");
        a.put("hidden", "32");
        a.put("layers", "2");
        a.put("heads", "2");
        a.put("window", "8");
        a.put("held-out-every", "10");
        a.put("eval-batches", "2");
        a.put("dtype", "f32");
        a.put("seed", "5");
        return a;
    }

    Path reference() throws Exception {
        Path out = WORK.resolve("pretrain-reference");
        return referenceRun(pretrain, TinyByteify.parameters(args(out)), out);
    }

    @Test
    void aRunWritesCheckpointsMetricsAndALoadableTeacher() throws Exception {
        Path out = reference();
        assertThat(RunCheckpoints.list(out)).extracting(p -> p.getFileName().toString())
                .containsExactly("step-000003", "step-000006");
        List<JsonObject> m = MetricsLog.read(out.resolve(MetricsLog.FILE));
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("train")).map(o -> o.get("step")
                .getAsLong())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(m.stream().filter(o -> o.get("kind").getAsString().equals("eval")).map(o -> o.get("bpb")
                .getAsDouble())).hasSize(3).allSatisfy(bpb -> assertThat(bpb).isBetween(0.5, 20.0));
        try (io.bolmo.Olmo teacher = io.bolmo.Olmo.load(out.resolve("final"))) {
            assertThat(teacher.config().hiddenSize()).isEqualTo(32);
            assertThat(teacher.encode("Madam President")).isNotEmpty();
        }
    }

    @Test
    void stoppedThenRestartedEqualsTheUninterruptedRun() throws Exception {
        Path ref = reference();
        Path out = WORK.resolve("pretrain-stopped");
        JobExecution stopped = JobTestSupport.stopOnceWritten(operator, pretrain, TinyByteify.parameters(args(out)),
                out.resolve("checkpoints/step-000003/state.json"));
        assertThat(out.resolve("final")).doesNotExist();
        assertThat(operator.restart(stopped).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(TinyByteify.maxAbsDiff(ref.resolve("final"), out.resolve("final"))).isEqualTo(0.0);
    }

    @Test
    void aChatFinetuneOfTheTeacherStartsFromInitAndLowersTheHeldOutLoss() throws Exception {
        Path chats = WORK.resolve("pretrain-chats.jsonl");
        try (Corpus c = Corpus.open(EuroparlCorpus.materialise(WORK.resolve("europarl-300"), 300),
                CorpusOptions.DEFAULT)) {
            ChatSetGenerator.write(chats, ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(200, 1)));
        }
        Path out = WORK.resolve("pretrain-chat");
        Map<String, String> a = args(out);
        a.put("init", reference().resolve("final").toString());
        a.put("format", "chat");
        a.put("corpus", chats.toString());
        a.put("eval-batches", "0");
        JobTestSupport.complete(operator, pretrain, TinyByteify.parameters(a));
        List<Double> heldOut = MetricsLog.read(out.resolve(MetricsLog.FILE)).stream()
                .filter(o -> o.get("kind").getAsString().equals("eval")).map(o -> o.get("bpb").getAsDouble()).toList();
        assertThat(heldOut).hasSize(3);
        // bits per assistant byte of the held-out conversations, measured 6.22 -> 5.76 in these 6 steps
        assertThat(heldOut.get(1)).isLessThan(heldOut.get(0));
        assertThat(heldOut.get(2)).isLessThan(heldOut.get(1)).isLessThan(heldOut.get(0) - 0.2);
        try (io.bolmo.Olmo teacher = io.bolmo.Olmo.load(out.resolve("final"))) {
            assertThat(teacher.config().hiddenSize()).isEqualTo(32); // the init teacher's shape
        }
    }

    @Test
    void badParametersAreRefusedByNameBeforeAnythingRuns() {
        PretrainJobConfiguration.Validator v = new PretrainJobConfiguration.Validator();
        Path out = WORK.resolve("pretrain-invalid");
        Map<String, String[]> cases = Map.of(
                "heads", new String[] {"3", "job parameter 'heads' = '3' is invalid: must divide hidden = 32"},
                "dtype", new String[] {"f8", "job parameter 'dtype' = 'f8' is invalid: allowed: bf16, f32"},
                "device", new String[] {"tpu", "job parameter 'device' = 'tpu' is invalid: allowed: cpu, gpu, gpu:N"},
                "lr", new String[] {"-1", "job parameter 'lr' = '-1' is invalid: must be > 0"},
                "corpus", new String[] {"/no/corpus.txt", "job parameter 'corpus': /no/corpus.txt does not exist"},
                "format", new String[] {"yaml", "job parameter 'format' = 'yaml' is invalid: allowed: text, chat"},
                "chat-markers", new String[] {"none", "job parameter 'chat-markers' = 'none' is invalid: allowed:"
                        + " special, text"},
                "init", new String[] {"/no/teacher", "job parameter 'init' = '/no/teacher' is invalid: not a Hugging"
                        + " Face model directory"});
        cases.forEach((name, c) -> {
            Map<String, String> a = args(out);
            a.put(name, c[0]);
            assertThatThrownBy(() -> v.validate(TinyByteify.parameters(a))).as(name)
                    .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining(c[1]);
        });
        Map<String, String> chatWithoutData = args(out);
        chatWithoutData.put("format", "chat");
        chatWithoutData.put("corpus", "");
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(chatWithoutData)))
                .hasMessageContaining("job parameter 'corpus'").hasMessageContaining("format=chat needs");
        Map<String, String> missing = args(out);
        missing.remove("output");
        assertThatThrownBy(() -> v.validate(TinyByteify.parameters(missing)))
                .hasMessageContaining("job parameter 'output' is required");
    }
}
