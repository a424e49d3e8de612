package io.bolmo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.Weights;
import io.bolmo.nn.WeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {

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

    @Test
    void opensTheGoldenDirectoryWithItsConfig() {
        try (HfCheckpoint ckpt = HfCheckpoint.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3"))) {
            BolmoConfig config = ckpt.bolmoConfig();
            assertThat(config.hiddenSize()).isEqualTo(64);
            assertThat(ckpt.names()).hasSize(79);
            assertThat(ckpt.sharded()).isFalse();
            assertThat(ckpt.info("lm_head.weight").shape().getShape()).containsExactly(640, 64);
            assertThat(ckpt.load("absent", null, manager)).isNull();
            assertThatThrownBy(() -> ckpt.load("absent", manager)).hasMessageContaining("'absent'")
                    .hasMessageContaining("tiny-olmo3");
        }
    }

    @Test
    void weightsTakeNamesTensorAndBothShapes() {
        try (HfCheckpoint ckpt = HfCheckpoint.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3"));
             Weights w = Weights.from(manager, ckpt)) {
            NDArray emb = w.take("model.local_encoder.byte_embedding.weight", 640, 64);
            assertThat(emb.getShape().getShape()).containsExactly(640, 64);
            assertThatThrownBy(() -> w.take("lm_head.weight", 520, 64))
                    .isInstanceOf(WeightsException.class)
                    .hasMessageContaining("'lm_head.weight'")
                    .hasMessageContaining("(640, 64)")
                    .hasMessageContaining("(520, 64)");
        }
    }

    @Test
    void clearErrorsForBrokenDirectories() throws Exception {
        assertThatThrownBy(() -> HfCheckpoint.open(tmp.resolve("nowhere")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("not found").hasMessageContaining("nowhere");

        Path noConfig = Files.createDirectories(tmp.resolve("no-config"));
        Files.copy(io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors"), noConfig.resolve("model.safetensors"));
        assertThatThrownBy(() -> HfCheckpoint.open(noConfig)).hasMessageContaining("no config.json")
                .hasMessageContaining("no-config");

        Path noWeights = Files.createDirectories(tmp.resolve("no-weights"));
        Files.writeString(noWeights.resolve("config.json"), "{}");
        assertThatThrownBy(() -> HfCheckpoint.open(noWeights)).hasMessageContaining("no weights")
                .hasMessageContaining("model.safetensors.index.json");
    }

    /** Two shards of golden tensors, to be corrupted by the tests below. */
    private Path sharded(String name) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(io.bolmo.testing.Golden.modelDir("tiny-olmo3").resolve("model.safetensors"))) {
            st.names().stream().limit(4).forEach(n -> tensors.put(n, st.load(n, manager)));
        }
        return HfCheckpointWriter.to(tmp.resolve(name)).config("{}").weights(tensors)
                .format(SafetensorsWriter.create().maxShardBytes(1)).write();
    }

    @Test
    void indexPointingToAMissingShard() throws Exception {
        Path dir = sharded("missing-shard");
        Files.delete(dir.resolve("model-00003-of-00004.safetensors"));
        assertThatThrownBy(() -> HfCheckpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model-00003-of-00004.safetensors").hasMessageContaining("does not exist")
                .hasMessageContaining("model.local_encoder.layers.0.xlstm.q.weight");
    }

    @Test
    void tensorListedTwice() throws Exception {
        Path dir = sharded("twice");
        Path index = dir.resolve(SafetensorsWriter.INDEX_FILE);
        String json = Files.readString(index);
        Files.writeString(index, json.replace("\"weight_map\": {",
                "\"weight_map\": {\n    \"lm_head.weight\": \"model-00001-of-00004.safetensors\","
                        + "\n    \"lm_head.weight\": \"model-00002-of-00004.safetensors\","));
        assertThatThrownBy(() -> HfCheckpoint.open(dir)).hasMessageContaining("'lm_head.weight' is listed twice");

        // the same tensor stored in two shards, the index naming one of them
        Path dir2 = sharded("two-shards");
        Files.copy(dir2.resolve("model-00001-of-00004.safetensors"), dir2.resolve("model-00002-of-00004.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> HfCheckpoint.open(dir2)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model-00002-of-00004.safetensors");
    }

    @Test
    void failedRewriteLeavesTheOldCheckpointIntactAndNoTempDirs() throws Exception {
        Path target = tmp.resolve("ckpt");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("a", manager.create(new float[] {1, 2, 3}));
        HfCheckpointWriter.to(target).config("{\"v\":1}").weights(tensors).text("tokenizer.json", "{}").write();

        Map<String, NDArray> changed = Map.of("a", manager.create(new float[] {9, 9, 9}));
        assertThatThrownBy(() -> HfCheckpointWriter.to(target).config("{\"v\":2}").weights(changed)
                .copy(tmp.resolve("no-such-tokenizer.json")).write())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("ckpt");
        // a failure inside the tensor writing (an array already closed) behaves the same
        NDArray closed = manager.create(new float[] {5});
        closed.close();
        assertThatThrownBy(() -> HfCheckpointWriter.to(target).config("{\"v\":3}").weights(Map.of("a", closed))
                .write()).isInstanceOf(RuntimeException.class);

        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("ckpt");
        }
        try (HfCheckpoint ckpt = HfCheckpoint.open(target); NDArray a = ckpt.load("a", manager)) {
            assertThat(ckpt.configJson()).isEqualTo("{\"v\":1}");
            assertThat(a.toFloatArray()).containsExactly(1, 2, 3);
            assertThat(ckpt.metadata()).containsEntry("format", "pt");
        }
        assertThat(target.resolve("tokenizer.json")).exists();
    }

    @Test
    void successfulRewriteReplacesEverything() throws Exception {
        Path target = tmp.resolve("ckpt");
        Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\":{}}");
        HfCheckpointWriter.to(target).config("{\"v\":1}")
                .weights(Map.of("a", manager.create(new float[] {1}))).text("stale.txt", "x").write();
        HfCheckpointWriter.to(target).config("{\"v\":2}")
                .weights(Map.of("b", manager.create(new int[] {4, 5}))).copy(tokenizer).write();
        try (HfCheckpoint ckpt = HfCheckpoint.open(target); NDArray b = ckpt.load("b", manager)) {
            assertThat(ckpt.configJson()).isEqualTo("{\"v\":2}");
            assertThat(ckpt.names()).containsExactly("b");
            assertThat(b.toIntArray()).containsExactly(4, 5);
        }
        assertThat(target.resolve("stale.txt")).doesNotExist();
        assertThat(Files.readString(target.resolve("tokenizer.json"))).isEqualTo("{\"model\":{}}");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("ckpt", "tokenizer.json");
        }
    }
}
