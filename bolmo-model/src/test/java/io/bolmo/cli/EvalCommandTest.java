package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bolmo eval} on the golden tiny Bolmo and a random tiny teacher prints every row. */
class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsEveryRowAndAppendsToTheFile() throws IOException {
        Path teacher = randomTeacher(dir.resolve("teacher"));
        Path corpus = Files.writeString(dir.resolve("c.txt"), "The committee adopted the proposal today.\n"
                + "Members voted against the amendment, naïve über Häuser.\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("report.md");
        String[] args = {"eval", "--bolmo", Golden.modelDir("tiny-olmo3").toString(), "--teacher",
            teacher.toString(), "--corpus", corpus.toString(), "--held-out-every", "1", "--tasks", "1",
            "--window-bytes", "32", "--device", "cpu", "--out", out.toString()};
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] rows = {"bits per byte (held-out)", "boundary precision", "boundary recall", "boundary F1",
            "bytes per patch", "CUTE spell accuracy (n=1)", "CUTE reverse", "CUTE count", "CUTE insert",
            "CUTE delete", "CUTE substitute", "CUTE mean accuracy"};
        for (String row : rows) {
            assertThat(r.out()).contains("| " + row);
        }
        assertThat(r.out()).contains("| metric | teacher | Bolmo |").contains("2 documents");
        assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(Files.readString(out)).isEqualTo(r.out());
        Cli again = Cli.run("eval", "--bolmo", Golden.modelDir("tiny-olmo3").toString(), "--corpus",
                corpus.toString(), "--held-out-every", "1", "--tasks", "0", "--device", "cpu", "--out",
                out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("CUTE");
        assertThat(Files.readString(out)).isEqualTo(r.out() + "\n" + again.out());
    }

    @Test
    void withoutTeacherItsColumnIsEmpty() throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "Hello world, members.\n", StandardCharsets.UTF_8);
        Cli r = Cli.run("eval", "--bolmo", Golden.modelDir("tiny-olmo3").toString(), "--corpus", corpus.toString(),
                "--held-out-every", "1", "--tasks", "0", "--device", "cpu");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\| bits per byte \\(held-out\\) \\| — \\| \\d+\\.\\d{4} \\|");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "Hello.\n", StandardCharsets.UTF_8);
        String bolmo = Golden.modelDir("tiny-olmo3").toString();
        Cli r = Cli.run("eval", "--bolmo", bolmo, "--corpus", corpus.toString(), "--held-out-every", "0");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--held-out-every = 0");
        r = Cli.run("eval", "--bolmo", bolmo, "--corpus", dir.resolve("missing.txt").toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--corpus = '");
        r = Cli.run("eval", "--bolmo", bolmo, "--corpus", corpus.toString(), "--tasks", "-1");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--tasks = -1");
    }

    /** config.json + model.safetensors of the golden tiny Bolmo's source model with random weights. */
    static Path randomTeacher(Path out) throws IOException {
        OlmoConfig config = ModelPresets.sourceModelOf(
                BolmoConfig.load(Golden.modelDir("tiny-olmo3").resolve("config.json")));
        Files.createDirectories(out);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                OlmoModel model = OlmoModel.create(config, Weights.from(m, new RandomWeights(7)))) {
            Files.writeString(out.resolve("config.json"), config.toJson(), StandardCharsets.UTF_8);
            SafetensorsWriter.create().writeCheckpoint(out, model.weights().all());
        }
        return out;
    }
}
