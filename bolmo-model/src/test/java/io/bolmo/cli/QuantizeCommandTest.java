package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.VectorBolmoEngine;
import io.bolmo.engine.vector.VectorEngines;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bolmo quantize}: the written directory names its int8 blocks and scales, loads without re-quantizing, and
 * computes exactly what quantizing at load computes; bad arguments are refused in the user's terms.
 */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aQuantizedDirectoryComputesWhatQuantizingAtLoadComputes() throws Exception {
        Path source = Golden.modelDir("tiny-olmo3");
        Path out = tmp.resolve("q8");
        Cli r = Cli.run("quantize", "--model", source.toString(), "--dtype", "q8_0", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("quantized").contains("wrote " + out);

        var config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonObject("quantization_config").get("quant_method").getAsString()).isEqualTo("q8_0");
        String w = "model.layers.0.mlp.down_proj.weight";
        try (HfCheckpoint q = HfCheckpoint.open(out)) {
            assertThat(q.names()).contains(w + ".q8_0", w + ".q8_0_scales").doesNotContain(w);
            assertThat(q.info(w + ".q8_0").dtype()).isEqualTo(SafetensorsDtype.I8);
            assertThat(q.info(w + ".q8_0_scales").shape().getShape()).containsExactly(64, 128 / 32);
            // the mLSTM gates stay float32 in every format: copied as stored
            assertThat(q.names()).contains("model.local_encoder.layers.0.xlstm.igate_preact.weight");
        }

        int[] ids = Golden.ints(Golden.texts("tiny-olmo3").get(0), "input_ids");
        int[] rows = new int[ids.length];
        LoadOptions q8 = LoadOptions.defaults().withDtype(WeightFormat.Q8_0).withThreads(1);
        try (HfCheckpoint a = HfCheckpoint.open(source); HfCheckpoint b = HfCheckpoint.open(out);
                VectorBolmoEngine atLoad = VectorEngines.bolmo(a, a.bolmoConfig(), q8);
                VectorBolmoEngine stored = VectorEngines.bolmo(b, b.bolmoConfig(), q8)) {
            Scores x = atLoad.score(ids, rows);
            Scores y = stored.score(ids, rows);
            assertThat(y.logits()).containsExactly(x.logits());
            assertThat(y.boundaries()).containsExactly(x.boundaries());
            assertThat(stored.weightBytes()).isEqualTo(atLoad.weightBytes());
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        Cli r = Cli.run("quantize", "--model", Golden.modelDir("tiny-olmo3").toString(), "--dtype", "bf16", "--out",
                tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--dtype = 'bf16' is invalid; allowed: q8_0");
        r = Cli.run("quantize", "--model", tmp.resolve("missing").toString(), "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("is not a directory");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }
}
