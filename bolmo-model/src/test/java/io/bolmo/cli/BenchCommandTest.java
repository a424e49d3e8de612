package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bolmo bench} on the golden-sized preset with tiny counts: the table has every row and the JSON every
 * figure under its stable name (no timing checks: speed goals are in docs/benchmarks.md, not in tests).
 */
class BenchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void goldenPresetOnTheJavaEnginePrintsTheFullTableAndTheFigures() throws Exception {
        Path md = tmp.resolve("bench.md");
        Path json = tmp.resolve("bench.json");
        Cli r = Cli.run("bench", "--preset", "golden", "--engine", "java", "--dtype", "bf16", "--prefill-bytes", "64",
                "--decode-bytes", "16", "--subword-tokens", "4", "--stream-mib", "8", "--out", md.toString(),
                "--json", json.toString(), "--load-test");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String bolmo = "Bolmo golden (random weights, seed 42), java bf16";
        for (String row : new String[] {"memory bandwidth, triad, 1 thread", "memory bandwidth, read only",
                "matmul peak, float32", bolmo + ": create",
                bolmo + ": forward, 64 B", bolmo + ": prefill", bolmo + ": decode", bolmo + ": decode bound",
                bolmo + ": decode / bound", bolmo + ": memory after decode", "Bolmo golden (random weights, seed 42),"
                + " djl f32: decode", "decode, java bf16 / djl f32", "prefill, java bf16 / djl f32",
                "subword olmo2, java bf16: decode", "subword bytes per token", "subword olmo2, java bf16: decode bound",
                "Bolmo / subword, decode bytes/s", "load bf16 directory to first byte"}) {
            assertThat(r.out()).contains("| " + row);
        }
        assertThat(r.out()).contains("16 B in");
        assertThat(Files.readString(md)).isEqualTo(r.out());
        JsonObject f = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("figures");
        for (String name : new String[] {"triad_bytes_per_s", "matmul_peak_flops_per_s", "decode_bytes_per_s",
                "decode_bound_bytes_per_s", "fraction_of_bound", "prefill_bytes_per_s", "prefill_flops_per_s",
                "prefill_fraction_of_peak", "djl_decode_bytes_per_s", "decode_speedup_vs_djl_f32",
                "prefill_speedup_vs_djl_f32", "subword_decode_tokens_per_s", "bolmo_subword_decode_ratio",
                "bolmo_subword_bound_ratio", "load_to_first_byte_s", "peak_rss_bytes", "read_bytes_per_s",
                "fraction_of_read_bound"}) {
            assertThat(f.has(name)).as(name).isTrue();
        }
        assertThat(f.get("decode_bytes_per_s").getAsDouble()).isPositive();
        assertThat(f.get("fraction_of_bound").getAsDouble()).isEqualTo(f.get("decode_bytes_per_s").getAsDouble()
                / f.get("decode_bound_bytes_per_s").getAsDouble(), org.assertj.core.data.Offset.offset(1e-9));
        // the read-only bound: the weights the decode read per second over the read bandwidth
        assertThat(f.get("fraction_of_read_bound").getAsDouble()).isEqualTo(f.get("decode_bytes_per_s").getAsDouble()
                * f.get("decode_weight_bytes_per_byte").getAsDouble() / f.get("read_bytes_per_s").getAsDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.out()).contains("of the read-only bound");
    }

    @Test
    void streamsPromptMemoryAndAgreementTables() throws Exception {
        Path json = tmp.resolve("streams.json");
        Cli r = Cli.run("bench", "--preset", "golden", "--engine", "java", "--streams", "1,3", "--stream-bytes", "8",
                "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("| 3 | 0 |").contains("identical").doesNotContain("DIFFERENT");
        var rows = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("figures")
                .getAsJsonArray("streams");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).getAsJsonObject().get("identical_outputs").getAsBoolean()).isTrue();

        r = Cli.run("bench", "--preset", "golden", "--engine", "java", "--prompt-kib", "2,1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().indexOf("| 1 KiB")).isPositive().isLessThan(r.out().indexOf("| 2 KiB"));

        r = Cli.run("bench", "--preset", "golden", "--engine", "java", "--dtype", "q8_0", "--agreement", "100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("| q8_0 vs f32: boundary decisions equal")
                .contains("| q8_0 vs f32: next byte equal on f32's patches")
                .contains("| q8_0 vs f32: next byte equal where f32 is decided");
    }

    @Test
    void badValuesAreNamed() {
        Cli r = Cli.run("bench", "--dtype", "int4");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--dtype = 'int4' is invalid; allowed: f32, bf16, q8_0, q4_0");
        r = Cli.run("bench", "--engine", "djl", "--dtype", "q8_0");
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("allowed: f32 (DJL runs f32 only)");
        r = Cli.run("bench", "--engine", "cuda");
        assertThat(r.err()).contains("--engine = 'cuda' is invalid; allowed: auto, java, djl");
    }
}
