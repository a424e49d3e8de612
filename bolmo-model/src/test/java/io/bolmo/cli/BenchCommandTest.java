package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bolmo bench} on the golden-sized preset with tiny counts: the table has every row (no timing checks). */
class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void goldenPresetPrintsTheFullTable() throws Exception {
        Path md = tmp.resolve("bench.md");
        Cli r = Cli.run("bench", "--preset", "golden", "--prefill-bytes", "64", "--decode-bytes", "16",
                "--subword-tokens", "4", "--stream-mib", "8", "--out", md.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String row : new String[] {"memory bandwidth, triad, 1 thread", "Bolmo golden (random weights, seed 42): create",
                "Bolmo forward, 64 B", "Bolmo prefill", "Bolmo decode", "Bolmo decode bound", "Bolmo decode / bound",
                "Bolmo memory after decode", "subword decode", "subword bytes per token", "subword decode bound",
                "subword decode / bound", "subword memory after decode"}) {
            assertThat(r.out()).contains("| " + row);
        }
        assertThat(r.out()).contains("16 B in");
        assertThat(Files.readString(md)).isEqualTo(r.out());
    }
}
