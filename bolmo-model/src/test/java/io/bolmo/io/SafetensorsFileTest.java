package io.bolmo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsFileTest {

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

    @ParameterizedTest
    @ValueSource(strings = {"tiny-olmo3", "tiny-olmo2"})
    void goldenTensorsEqualAPlainParse(String model) throws Exception {
        Path file = io.bolmo.testing.Golden.modelDir(model).resolve("model.safetensors");
        Map<String, PlainSafetensors.Plain> plain = PlainSafetensors.parseF32(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.names()).containsExactlyElementsOf(plain.keySet());
            for (String name : st.names()) {
                PlainSafetensors.Plain p = plain.get(name);
                assertThat(st.info(name).dtype()).isEqualTo(SafetensorsDtype.F32);
                assertThat(st.info(name).shape()).isEqualTo(new Shape(p.shape()));
                try (NDArray a = st.load(name, manager)) {
                    assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(a.getShape()).isEqualTo(new Shape(p.shape()));
                    assertThat(a.toFloatArray()).as(name).isEqualTo(p.values());
                }
            }
        }
    }

    @Test
    void tinyOlmo3HasItsSeventyNineTensors() {
        try (SafetensorsFile st = SafetensorsFile.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors"))) {
            assertThat(st.names()).hasSize(79)
                    .contains("model.local_encoder.byte_embedding.weight", "lm_head.weight", "model.norm.weight");
            assertThat(st.info("model.local_encoder.subword_embedding.weight").shape()).isEqualTo(new Shape(4100, 64));
            assertThat(st.info("model.layers.1.mlp.down_proj.weight").shape()).isEqualTo(new Shape(64, 128));
        }
    }

    /** DJL's own reader serves for a small all-F32 file; it must agree with ours there. */
    @Test
    void agreesWithDjlNdListDecode() throws Exception {
        Path file = io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors");
        try (InputStream in = Files.newInputStream(file);
             NDList djl = NDList.decode(manager, in);
             SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(djl).hasSize(st.names().size());
            for (NDArray d : djl) {
                try (NDArray ours = st.load(d.getName(), manager)) {
                    assertThat(ours.getShape()).isEqualTo(d.getShape());
                    assertThat(ours.toFloatArray()).isEqualTo(d.toFloatArray());
                }
            }
        }
    }

    @Test
    void bf16AndF16ConvertExactly() throws Exception {
        // 1, -2, 1.5, +inf, smallest subnormal (2^-133), largest finite
        byte[] bf16 = PlainSafetensors.shorts(0x3F80, 0xC000, 0x3FC0, 0x7F80, 0x0001, 0x7F7F);
        // 1, -2, 65504, 2^-24 (smallest subnormal), -inf, 0.333251953125
        byte[] f16 = PlainSafetensors.shorts(0x3C00, 0xC000, 0x7BFF, 0x0001, 0xFC00, 0x3555);
        byte[] data = new byte[24];
        System.arraycopy(bf16, 0, data, 0, 12);
        System.arraycopy(f16, 0, data, 12, 12);
        Path file = PlainSafetensors.handWritten(tmp.resolve("half.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
                        + "\"h\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[12,24]}}", data);
        try (SafetensorsFile st = SafetensorsFile.open(file);
             NDArray b = st.load("b", manager);
             NDArray h = st.load("h", manager);
             NDArray bPieces = st.load("b", manager, 4);
             NDArray hPieces = st.load("h", manager, 4)) {
            assertThat(bPieces.toFloatArray()).containsExactly(b.toFloatArray());
            assertThat(hPieces.toFloatArray()).containsExactly(h.toFloatArray());
            assertThat(b.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(b.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(b.toFloatArray()).containsExactly(1f, -2f, 1.5f, Float.POSITIVE_INFINITY,
                    Float.intBitsToFloat(0x00010000), Float.intBitsToFloat(0x7F7F0000));
            assertThat(h.toFloatArray()).containsExactly(1f, -2f, 65504f, (float) Math.pow(2, -24),
                    Float.NEGATIVE_INFINITY, 0.333251953125f);
        }
    }

    @Test
    void integerTensorsKeepTheirType() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(12 + 16).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(7).putInt(-1).putInt(123456).putLong(1L << 40).putLong(-5);
        Path file = PlainSafetensors.handWritten(tmp.resolve("ids.safetensors"),
                "{\"__metadata__\":{\"format\":\"pt\",\"seed\":\"7\"},"
                        + "\"i\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                        + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[12,28]}}", data.array());
        try (SafetensorsFile st = SafetensorsFile.open(file);
             NDArray i = st.load("i", manager);
             NDArray l = st.load("l", manager)) {
            assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("seed", "7"));
            assertThat(i.getDataType()).isEqualTo(DataType.INT32);
            assertThat(i.toIntArray()).containsExactly(7, -1, 123456);
            assertThat(l.getDataType()).isEqualTo(DataType.INT64);
            assertThat(l.toLongArray()).containsExactly(1L << 40, -5L);
        }
    }

    /** The path taken by tensors of 2 GiB or more, exercised with a tiny chunk size. */
    @Test
    void chunkedLoadEqualsWholeLoad() {
        try (SafetensorsFile st = SafetensorsFile.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors"));
             NDArray whole = st.load("model.local_encoder.subword_embedding.weight", manager);
             NDArray chunked = st.load("model.local_encoder.subword_embedding.weight", manager, 64 * 4 * 7)) {
            assertThat(Pieces.of(4100 * 64, 4, 64 * 4 * 7)).hasSize(586);
            assertThat(chunked.getShape()).isEqualTo(new Shape(4100, 64));
            assertThat(chunked.toFloatArray()).isEqualTo(whole.toFloatArray());
        }
    }

    @Test
    void loadedArraysAreWritableCopies() {
        try (SafetensorsFile st = SafetensorsFile.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors"));
             NDArray a = st.load("model.norm.weight", manager);
             NDArray b = st.load("model.norm.weight", manager)) {
            float[] before = b.toFloatArray();
            a.addi(1f);
            float[] after = a.toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).isEqualTo(before[i] + 1f);
            }
            assertThat(b.toFloatArray()).containsExactly(before);
        }
    }

    @Test
    void unknownDtypeNamesTensorDtypeAndFile() throws Exception {
        Path file = PlainSafetensors.handWritten(tmp.resolve("bad.safetensors"),
                "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'x'").hasMessageContaining("F8_E4M3").hasMessageContaining(file.toString());
    }

    @Test
    void offsetsMustMatchShapeAndFitTheFile() throws Exception {
        Path wrongSize = PlainSafetensors.handWritten(tmp.resolve("size.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[24]);
        assertThatThrownBy(() -> SafetensorsFile.open(wrongSize))
                .hasMessageContaining(wrongSize.toString()).hasMessageContaining("'w'")
                .hasMessageContaining("20 bytes").hasMessageContaining("(2, 3)").hasMessageContaining("24");
        Path outside = PlainSafetensors.handWritten(tmp.resolve("outside.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[8,32]}}", new byte[24]);
        assertThatThrownBy(() -> SafetensorsFile.open(outside))
                .hasMessageContaining("'w'").hasMessageContaining("outside the data section");
    }

    @Test
    void insaneHeaderLengthAndDuplicatesAreRejected() throws Exception {
        Path huge = tmp.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThatThrownBy(() -> SafetensorsFile.open(huge))
                .hasMessageContaining(huge.toString()).hasMessageContaining("header length");
        Path dup = PlainSafetensors.handWritten(tmp.resolve("dup.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertThatThrownBy(() -> SafetensorsFile.open(dup)).hasMessageContaining("'w' is listed twice");
        Path notJson = PlainSafetensors.handWritten(tmp.resolve("text.safetensors"), "hello world", new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(notJson))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(notJson.toString());
    }

    @Test
    void missingTensorNamesFileAndTensor() {
        Path file = io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> st.load("nope", manager))
                    .hasMessageContaining(file.toString()).hasMessageContaining("'nope'");
        }
        assertThatThrownBy(() -> SafetensorsFile.open(tmp.resolve("absent.safetensors")))
                .hasMessageContaining("absent.safetensors");
    }
}
