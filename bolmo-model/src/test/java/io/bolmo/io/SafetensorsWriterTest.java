package io.bolmo.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path tmp;

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Map<String, NDArray> golden(String model) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(io.bolmo.testing.Golden.modelDir(model).resolve("model.safetensors"))) {
            st.names().forEach(n -> tensors.put(n, st.load(n, manager)));
        }
        return tensors;
    }

    private static void assertSameTensors(Map<String, NDArray> expected, HfCheckpoint ckpt, NDManager m) {
        assertThat(ckpt.names()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, a) -> {
            try (NDArray b = ckpt.load(name, m)) {
                assertThat(b.getShape()).as(name).isEqualTo(a.getShape());
                assertThat(b.toFloatArray()).as(name).isEqualTo(a.toFloatArray());
            }
        });
    }

    @Test
    void f32RoundTripIsExactAndKeepsOrderAndMetadata() throws Exception {
        Map<String, NDArray> tensors = golden("tiny-olmo3");
        Path file = tmp.resolve("out.safetensors");
        SafetensorsWriter.create().metadata("seed", "42").writeFile(file, tensors);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsEntry("format", "pt").containsEntry("seed", "42");
            assertThat(st.names()).containsExactlyElementsOf(tensors.keySet());
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                try (NDArray back = st.load(e.getKey(), manager)) {
                    assertThat(back.toFloatArray()).as(e.getKey()).isEqualTo(e.getValue().toFloatArray());
                }
            }
        }
        // the independent parse reads it too, and the header is 8-byte aligned
        assertThat(PlainSafetensors.parseF32(file)).hasSize(79);
        long n = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        assertThat(Files.list(tmp)).containsExactly(file); // no temp file left
    }

    @Test
    void bf16WritingRoundsToNearestEven() throws Exception {
        float ulp = (float) Math.pow(2, -7); // bf16 spacing in [1, 2)
        float[] values = {
            1f + ulp / 2,                       // tie, 1.0 has even mantissa: down to 1
            1f + 3 * ulp / 2,                   // tie, 1+ulp is odd: up to 1+2ulp
            1f + ulp / 2 + (float) Math.pow(2, -20), // just above the tie: up to 1+ulp
            -3.0f, Float.POSITIVE_INFINITY, 0f, Float.NaN, Float.MAX_VALUE};
        Path file = tmp.resolve("bf16.safetensors");
        try (NDArray a = manager.create(values)) {
            SafetensorsWriter.create().floatType(SafetensorsDtype.BF16).writeFile(file, Map.of("x", a));
        }
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int data = 8 + (int) raw.getLong(0);
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = raw.getShort(data + 2 * i) & 0xFFFF;
        }
        // MAX_VALUE rounds up to +inf, as in torch
        assertThat(bits).containsExactly(0x3F80, 0x3F82, 0x3F81, 0xC040, 0x7F80, 0x0000, 0x7FC0, 0x7F80);
        try (SafetensorsFile st = SafetensorsFile.open(file); NDArray back = st.load("x", manager)) {
            assertThat(st.info("x").dtype()).isEqualTo(SafetensorsDtype.BF16);
            assertThat(back.toFloatArray()[1]).isEqualTo(1f + 2 * ulp);
        }
    }

    @Test
    void f16AndIntegerTypesRoundTrip() {
        Path file = tmp.resolve("mixed.safetensors");
        try (NDArray h = manager.create(new float[] {1f, -2f, 65504f, 0.1f});
             NDArray ids = manager.create(new long[] {3, 1L << 20, -7})) {
            SafetensorsWriter.create().floatType(SafetensorsDtype.F16).writeFile(file,
                    new LinkedHashMap<>(Map.of("h", h, "ids", ids)));
        }
        try (SafetensorsFile st = SafetensorsFile.open(file);
             NDArray h = st.load("h", manager);
             NDArray ids = st.load("ids", manager)) {
            assertThat(st.info("h").dtype()).isEqualTo(SafetensorsDtype.F16);
            assertThat(h.toFloatArray()).containsExactly(1f, -2f, 65504f, 0.0999755859375f);
            assertThat(st.info("ids").dtype()).isEqualTo(SafetensorsDtype.I32);
            assertThat(ids.getDataType()).isEqualTo(DataType.INT32);
            assertThat(ids.toIntArray()).containsExactly(3, 1 << 20, -7);
        }
    }

    @Test
    void shardedWriteReadsBackEqualToUnsharded() throws Exception {
        Map<String, NDArray> tensors = golden("tiny-olmo2");
        Path single = tmp.resolve("single");
        Path sharded = tmp.resolve("sharded");
        String config = Files.readString(io.bolmo.testing.Golden.modelDir("tiny-olmo2").resolve("config.json"));
        HfCheckpointWriter.to(single).config(config).weights(tensors).write();
        HfCheckpointWriter.to(sharded).config(config).weights(tensors)
                .format(SafetensorsWriter.create().maxShardBytes(1_000_000)).write();

        JsonObject index = JsonParser.parseString(Files.readString(sharded.resolve(SafetensorsWriter.INDEX_FILE)))
                .getAsJsonObject();
        long total = tensors.values().stream().mapToLong(a -> a.size() * 4).sum();
        assertThat(index.getAsJsonObject("metadata").get("total_size").getAsLong()).isEqualTo(total);
        assertThat(index.getAsJsonObject("weight_map").keySet()).containsExactlyElementsOf(tensors.keySet());

        try (HfCheckpoint a = HfCheckpoint.open(single); HfCheckpoint b = HfCheckpoint.open(sharded)) {
            assertThat(a.sharded()).isFalse();
            assertThat(b.sharded()).isTrue();
            assertThat(b.weightFiles()).hasSizeGreaterThan(3).allSatisfy(f -> {
                assertThat(f.getFileName().toString()).matches("model-\\d{5}-of-\\d{5}\\.safetensors");
                // a shard exceeds the limit only when one tensor alone does
                assertThat(Files.size(f)).isLessThan(1_000_000 + 1_700_000);
            });
            assertSameTensors(tensors, a, manager);
            assertSameTensors(tensors, b, manager);
            assertThat(b.bolmoConfig()).isEqualTo(a.bolmoConfig());
        }
    }

    @Test
    void piecesCoverEveryElementOnce() {
        List<long[]> p = Pieces.of(10, 4, 12);
        assertThat(p).extracting(r -> r[0] + ":" + r[1]).containsExactly("0:3", "3:6", "6:9", "9:10");
        assertThat(Pieces.of(0, 4, 12)).hasSize(1);
        assertThat(new Shape().size()).isEqualTo(1); // scalars are one element
    }
}
