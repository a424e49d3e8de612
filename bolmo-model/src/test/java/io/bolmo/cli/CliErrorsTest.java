package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors: one line naming the problem, exit 2 for arguments and 1 for a model that cannot be loaded. */
class CliErrorsTest {

    @TempDir
    Path tmp;

    private static final String MODEL = Golden.modelDir("tiny-olmo3").toString();

    @Test
    void badNumberNamesTheOption() {
        assertUsage(Cli.run("generate", "--model", MODEL, "--prompt", "x", "--max-bytes", "many"), "--max-bytes");
    }

    @Test
    void outOfRangeValuesNameTheOptionAndTheRange() {
        Cli r = Cli.run("generate", "--model", MODEL, "--prompt", "x", "--top-p", "1.5");
        assertUsage(r, "--top-p = 1.5");
        assertThat(r.err()).contains("(0, 1]");
        assertUsage(Cli.run("generate", "--model", MODEL, "--prompt", "x", "--temperature", "-1"), "--temperature");
        assertUsage(Cli.run("generate", "--model", MODEL, "--prompt", "x", "--greedy", "--temperature", "0.7"),
                "--greedy");
        assertUsage(Cli.run("generate", "--model", MODEL, "--prompt", "x", "--device", "tpu"), "--device = 'tpu'");
        assertUsage(Cli.run("bench", "--preset", "bolmo-70b"), "--preset = 'bolmo-70b' is invalid; allowed: golden, bolmo-1b, bolmo-7b");
    }

    /** --device, --dtype, --engine and --threads on every command that loads a model, checked before loading. */
    @Test
    void badLoadOptionsNameTheValueAndWhatIsAllowed() {
        assertUsage(Cli.run("generate", "--model", MODEL, "--prompt", "x", "--engine", "onnx"),
                "--engine = 'onnx' is invalid; allowed: auto, java, djl");
        assertUsage(Cli.run("chat", "--model", MODEL, "--dtype", "int4"),
                "--dtype = 'int4' is invalid; allowed: f32, bf16, q8_0, q4_0");
        assertUsage(Cli.run("forward", "--model", MODEL, "--text", "x", "--out", tmp.resolve("x").toString(),
                "--engine", "djl", "--dtype", "bf16"), "--dtype = bf16 is not supported on engine djl");
        assertUsage(Cli.run("eval", "--bolmo", MODEL, "--corpus", MODEL, "--threads", "-1"), "--threads = -1");
        assertUsage(Cli.run("eval", "--bolmo", MODEL, "--corpus", MODEL, "--device", "gpu:x"), "--device = 'gpu:x'");
    }

    @Test
    void missingRequiredOptionAndUnknownCommand() {
        assertUsage(Cli.run("forward", "--model", MODEL, "--out", "x.safetensors"), "--text");
        assertUsage(Cli.run("train"), "train");
    }

    @Test
    void badModelDirectoryPrintsTheLoaderMessage() {
        Cli r = Cli.run("generate", "--model", tmp.toString(), "--prompt", "x");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.FAILED);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(tmp.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertUsage(Cli r, String mentions) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(mentions).doesNotContain("\tat ");
    }
}
