package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bolmo pretrain-teacher}: a tiny run that stops on its time limit, then resumes and exports. */
class PretrainTeacherCommandTest {

    @TempDir
    Path dir;

    @Test
    void stopsOnTimeLimitThenResumesAndExports() {
        Path out = dir.resolve("teacher");
        String[] args = {"pretrain-teacher", "--out", out.toString(), "--hidden", "32", "--layers", "2", "--heads",
            "2", "--window", "8", "--batch-size", "2", "--seq-len", "16", "--steps", "4", "--eval-batches", "1",
            "--log-every", "1", "--dtype", "f32", "--max-minutes", "0.00001"};
        Cli first = Cli.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("starting at step 0").contains("stopping after").contains("held-out step 1");
        Cli second = Cli.run(java.util.Arrays.copyOf(args, args.length - 2)); // without the time limit
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("resuming at step 1").contains("step 4/4").contains("wrote " + out);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(out)) {
            OlmoConfig c = checkpoint.olmoConfig();
            assertThat(c.hiddenSize()).isEqualTo(32);
            assertThat(c.vocabSize()).isEqualTo(8196);
        }
        assertThat(out.resolve("tokenizer.json")).exists();
    }

    @Test
    void badDtypeIsAUsageError() {
        Cli r = Cli.run("pretrain-teacher", "--out", dir.resolve("x").toString(), "--dtype", "f8");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--dtype = 'f8'");
    }
}
