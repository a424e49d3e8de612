package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.train.loss.StageWeights;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/** Every bad parameter is refused before the job runs, with its name, value and the allowed range. */
class ByteifyJobParametersTest {

    @TempDir
    Path out;

    private final ByteifyJobParametersValidator validator = new ByteifyJobParametersValidator();

    @Test
    void theTinyJobIsValid() {
        assertThatCode(() -> validator.validate(TinyByteify.parameters(out))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stage1-steps|0|job parameter 'stage1-steps' = '0' is invalid: must be > 0",
        "stage2-steps|-3|job parameter 'stage2-steps' = '-3' is invalid: must be > 0",
        "batch-size|two|job parameter 'batch-size' = 'two' is invalid: not an integer",
        "seq-len|0|job parameter 'seq-len' = '0' is invalid: must be > 0",
        "max-patches|65|max-patches = 65 is invalid: must be in [3, seq-len = 64]",
        "stage1-lr|0|job parameter 'stage1-lr' = '0' is invalid: must be > 0",
        "stage2-lr|NaN|job parameter 'stage2-lr' = 'NaN' is invalid: must be a finite number",
        "global-lr-multiplier|-1|job parameter 'global-lr-multiplier' = '-1' is invalid: must be >= 0",
        "boundary-weight|-2|job parameter 'boundary-weight' = '-2' is invalid: must be >= 0",
        "seed|1.5|job parameter 'seed' = '1.5' is invalid: not an integer",
        "chunk-size|0|job parameter 'chunk-size' = '0' is invalid: must be > 0",
        "teacher|/no/such/teacher|teacher = /no/such/teacher is invalid: no such directory",
        "corpus|/no/such/corpus.txt|corpus = /no/such/corpus.txt is invalid: no such file or directory",
        "tokenizer|/no/tokenizer.json|tokenizer = /no/tokenizer.json is invalid: no such file",
        "stage1-steps|0|(0 runs Stage 2 alone and needs init=DIR, a Bolmo model)",
        "init|/some/bolmo|job parameter 'init' = '/some/bolmo' is invalid: needs stage1-steps=0",
        "compression|entropy|compression = 'entropy' is invalid; allowed: none, bpe, space",
        "compression-target|6|job parameter 'compression-target' = '6' is invalid: needs compression=bpe or"
            + " compression=space",
        "compression-steps|-1|job parameter 'compression-steps' = '-1' is invalid: must be >= 1, or 0 for all",
    })
    void aBadValueIsNamed(String name, String value, String message) {
        Map<String, String> args = TinyByteify.args(out);
        args.put(name, value);
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(args)))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining(message);
    }

    @Test
    void theBoundaryWeightReachesBothStagesAndDefaultsToTheRecipe() {
        Map<String, String> args = TinyByteify.args(out);
        ByteifyJobParameters recipe = ByteifyJobParameters.of(TinyByteify.parameters(args));
        assertThat(recipe.stage1().settings().weights()).isEqualTo(StageWeights.STAGE1);
        assertThat(recipe.stage2(out).settings().weights()).isEqualTo(StageWeights.STAGE2);
        args.put("boundary-weight", "16");
        ByteifyJobParameters heavier = ByteifyJobParameters.of(TinyByteify.parameters(args));
        assertThat(heavier.stage1().settings().weights().boundary()).isEqualTo(16f);
        assertThat(heavier.stage2(out).settings().weights())
                .isEqualTo(new StageWeights(0f, 1f, 0f, 16f));
    }

    @Test
    void missingAndUnknownParametersAreNamed() {
        Map<String, String> args = TinyByteify.args(out);
        args.remove("teacher");
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(args)))
                .hasMessageContaining("job parameter 'teacher' is required");
        Map<String, String> typo = TinyByteify.args(out);
        typo.put("stage1-step", "5");
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(typo)))
                .hasMessageContaining("unknown job parameter 'stage1-step'").hasMessageContaining("stage1-steps");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bpe|1|0|job parameter compression-target = 1.0 is invalid: must be > 1 (bytes per patch)",
        "space|0|0|job parameter compression-target = 0.0 is invalid: must be > 1",
        "bpe|4|5|job parameter compression-start = 5.0 is invalid: must be in [1, compression-target = 4.0]",
    })
    void badCompressionSettingsAreNamed(String kind, String target, String start, String message) {
        Map<String, String> args = TinyByteify.args(out);
        args.put("compression", kind);
        args.put("compression-target", target);
        args.put("compression-start", start);
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(args)))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining(message);
    }

    @Test
    void stage2AloneNeedsAnInitModelButNoTeacher() {
        Map<String, String> args = TinyByteify.args(out);
        args.remove("teacher");
        args.put("stage1-steps", "0");
        args.put("init", out.resolve("none").toString());
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(args)))
                .hasMessageContaining("init = " + out.resolve("none") + " is invalid: no such directory");
        args.put("init", TinyByteify.root().resolve("teacher").toString()); // any HF directory with a tokenizer
        assertThatCode(() -> validator.validate(TinyByteify.parameters(args))).doesNotThrowAnyException();
    }

    @Test
    void aTeacherWithoutConfigIsRefused() {
        Map<String, String> args = TinyByteify.args(out);
        args.put("teacher", out.toString());
        assertThatThrownBy(() -> validator.validate(TinyByteify.parameters(args)))
                .hasMessageContaining("teacher = " + out + " is invalid: has no config.json");
    }
}
