package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import io.bolmo.testing.Golden;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code bolmo forward} writes the golden arrays (model.md §13.2) at the golden tolerances (§13.3). */
class ForwardCommandTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tiny-olmo3, ascii", "tiny-olmo3, utf8_multibyte", "tiny-olmo2, python_code"})
    void writesTheReferenceArrays(String model, String id) {
        JsonObject text = Golden.texts(model).stream().filter(t -> t.get("id").getAsString().equals(id)).findFirst()
                .orElseThrow();
        Path out = tmp.resolve(id + ".safetensors");
        Cli r = Cli.run("forward", "--model", Golden.modelDir(model).toString(), "--text",
                text.get("text").getAsString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();

        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> got = Golden.tensors(m, out);
            Map<String, NDArray> ref = Golden.tensors(m, Golden.modelDir(model).resolve("expected.safetensors"));
            assertThat(got).containsOnlyKeys("input_ids", "expanded_subword_ids", "boundary_mask", "enc_h",
                    "boundary_logprobs", "logits");
            for (String k : new String[] {"input_ids", "expanded_subword_ids", "boundary_mask"}) {
                assertThat(got.get(k).getDataType()).as(k).isEqualTo(DataType.INT32);
            }
            assertThat(got.get("input_ids").toIntArray()).containsExactly(Golden.ints(text, "input_ids"));
            assertThat(got.get("expanded_subword_ids").toIntArray())
                    .containsExactly(Golden.ints(text, "expanded_subword_ids"));
            assertThat(got.get("boundary_mask").toIntArray()).containsExactly(Golden.ints(text, "boundary_mask"));

            assertThat(got.get("enc_h").getShape()).isEqualTo(ref.get(id + ".enc_h").getShape());
            assertThat(Golden.maxAbsDiff(got.get("enc_h"), ref.get(id + ".enc_h"))).isLessThanOrEqualTo(1e-4f);
            NDArray lp = got.get("boundary_logprobs");
            int last = (int) lp.size() - 1;
            assertThat(lp.getFloat(0)).isEqualTo(0f);
            assertThat(lp.getFloat(last)).isEqualTo(-100000f);
            NDIndex inner = new NDIndex("1:" + last);
            assertThat(Golden.maxAbsDiff(lp.get(inner), ref.get(id + ".boundary_logprobs").get(inner)))
                    .isLessThanOrEqualTo(2e-5f);
            assertThat(got.get("logits").getShape()).isEqualTo(ref.get(id + ".logits").getShape());
            assertThat(Golden.maxAbsDiff(got.get("logits"), ref.get(id + ".logits"))).isLessThanOrEqualTo(2e-4f);
        }
    }
}
