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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bolmo quantize} (q8_0 and q4_0): the written directory names its blocks and scales, loads without re-quantizing, and
 * computes exactly what quantizing at load computes; bad arguments are refused in the user's terms.
 */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "q4_0"})
    void aQuantizedDirectoryComputesWhatQuantizingAtLoadComputes(String dtype) throws Exception {
        Path source = Golden.modelDir("tiny-olmo3");
        Path out = tmp.resolve(dtype);
        Cli r = Cli.run("quantize", "--model", source.toString(), "--dtype", dtype, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("to " + dtype).contains("wrote " + out);

        var config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonObject("quantization_config").get("quant_method").getAsString()).isEqualTo(dtype);
        String w = "model.layers.0.mlp.down_proj.weight"; // [64, 128]
        boolean q4 = dtype.equals("q4_0");
        try (HfCheckpoint q = HfCheckpoint.open(out)) {
            assertThat(q.names()).contains(w + "." + dtype, w + "." + dtype + "_scales").doesNotContain(w);
            assertThat(q.info(w + "." + dtype).dtype()).isEqualTo(q4 ? SafetensorsDtype.U8 : SafetensorsDtype.I8);
            assertThat(q.info(w + "." + dtype).shape().getShape()).containsExactly(64, q4 ? 128 / 2 : 128);
            assertThat(q.info(w + "." + dtype + "_scales").shape().getShape()).containsExactly(64, 128 / 32);
            // the mLSTM gates stay float32 in every format: copied as stored
            assertThat(q.names()).contains("model.local_encoder.layers.0.xlstm.igate_preact.weight");
        }

        int[] ids = Golden.ints(Golden.texts("tiny-olmo3").get(0), "input_ids");
        int[] rows = new int[ids.length];
        LoadOptions options = LoadOptions.defaults().withDtype(WeightFormat.parse(dtype)).withThreads(1);
        try (HfCheckpoint a = HfCheckpoint.open(source); HfCheckpoint b = HfCheckpoint.open(out);
                VectorBolmoEngine atLoad = VectorEngines.bolmo(a, a.bolmoConfig(), options);
                VectorBolmoEngine stored = VectorEngines.bolmo(b, b.bolmoConfig(), options)) {
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
        assertThat(r.err()).contains("--dtype = 'bf16' is invalid; allowed: q8_0, q4_0");
        r = Cli.run("quantize", "--model", Golden.modelDir("tiny-olmo3").toString(), "--dtype", "q2_k", "--out",
                tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--dtype = 'q2_k' is invalid; allowed: q8_0, q4_0");
        r = Cli.run("quantize", "--model", tmp.resolve("missing").toString(), "--out", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("is not a directory");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }
}
