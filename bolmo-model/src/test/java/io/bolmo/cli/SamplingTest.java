package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.generate.GenerationOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** The command line's sampling options become {@link GenerationOptions}; the engine's checks speak of options. */
class SamplingTest {

    @CommandLine.Command(name = "probe")
    static final class Probe {
        @Mixin
        Sampling sampling;
    }

    private static GenerationOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.sampling.options();
    }

    @Test
    void optionsMapOntoTheEngineOptions() {
        assertThat(parse()).isEqualTo(GenerationOptions.builder().build());
        assertThat(parse("--max-bytes", "12", "--temperature", "0.7", "--top-k", "5", "--top-p", "0.9", "--seed", "3",
                "--stop", "END", "--boundary-bias", "0.5", "--ignore-eos"))
                .isEqualTo(GenerationOptions.builder().maxNewBytes(12).temperature(0.7).topK(5).topP(0.9).seed(3L)
                        .stop(List.of("END")).boundaryBias(0.5).stopAtEos(false).build());
        assertThat(parse("--top-p", "0.9").temperature()).as("top-p alone samples at temperature 1").isEqualTo(1.0);
        assertThat(parse("--greedy").isGreedy()).isTrue();
    }

    @Test
    void theEnginesChecksNameTheOption() {
        assertThatThrownBy(() -> parse("--top-k", "-1")).isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--top-k = -1 is invalid");
        assertThatThrownBy(() -> parse("--max-bytes", "-3")).hasMessageStartingWith("--max-bytes = -3 is invalid");
        assertThatThrownBy(() -> parse("--boundary-bias", "NaN")).hasMessageStartingWith("--boundary-bias = NaN");
        assertThatThrownBy(() -> parse("--stop", "")).hasMessageStartingWith("--stop = [] is invalid");
        assertThatThrownBy(() -> parse("--temperature", "-1")).hasMessageStartingWith("--temperature = -1.0");
        assertThatThrownBy(() -> parse("--greedy", "--seed", "1")).hasMessageContaining("--greedy cannot be combined");
    }
}
