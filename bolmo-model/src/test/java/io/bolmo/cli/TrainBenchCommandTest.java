package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code bolmo bench-train} with tiny counts: the table has every row (no timing checks); bad sizes are rejected. */
class TrainBenchCommandTest {

    @Test
    void printsThroughputAndTheFractionOfThePeak() {
        Cli r = Cli.run("bench-train", "--dim", "64", "--layers", "2", "--steps", "2", "--warmup", "1",
                "--batch-size", "2", "--seq-len", "64");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String row : new String[] {"float32 matmul peak", "training throughput", "training compute",
                "fraction of matmul peak", "last step"}) {
            assertThat(r.out()).contains("| " + row);
        }
    }

    @Test
    void aWidthThatIsNotAMultipleOf64IsAUsageError() {
        Cli r = Cli.run("bench-train", "--dim", "100");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--dim must be a multiple of 64").contains("dim 100");
    }
}
