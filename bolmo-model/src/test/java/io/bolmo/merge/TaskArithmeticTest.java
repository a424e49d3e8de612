package io.bolmo.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task arithmetic is exact: alpha 0 is the identity, alpha 1 adds the delta to exactly the matching tensors. */
class TaskArithmeticTest {

    @TempDir
    Path dir;

    /** A subword model with the golden tiny-olmo3 Bolmo's global shape. */
    private Path sourceModel(String name, long seed, int layers) {
        OlmoConfig c = new OlmoConfig("olmo3", 4100, 64, 128, layers, 4, 4, 16, 1e-6, 500000,
                layers == 2 ? List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION)
                        : List.of(AttentionType.FULL_ATTENTION),
                4, false, null, 4096, 4099);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                OlmoModel model = OlmoModel.create(c, Weights.from(m, new RandomWeights(seed)))) {
            return HfCheckpointWriter.to(dir.resolve(name)).config(c.toJson()).weights(model.weights().all()).write();
        }
    }

    @Test
    void alphaZeroLeavesEveryTensorUnchanged() {
        Path out = dir.resolve("merged0");
        TaskArithmetic.merge(Golden.modelDir("tiny-olmo3"), sourceModel("base", 1, 2), sourceModel("post", 2, 2), 0.0,
                true, out);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HfCheckpoint in = HfCheckpoint.open(Golden.modelDir("tiny-olmo3"));
                HfCheckpoint merged = HfCheckpoint.open(out)) {
            assertThat(merged.names()).isEqualTo(in.names());
            for (String name : in.names()) {
                assertThat(merged.load(name, m).toFloatArray()).as(name).containsExactly(in.load(name, m).toFloatArray());
            }
        }
    }

    @Test
    void alphaOneAddsTheDeltaToExactlyTheMatchingTensors() {
        Path base = sourceModel("base", 1, 2);
        Path post = sourceModel("post", 2, 2);
        Path out = dir.resolve("merged1");
        TaskArithmetic.Report report = TaskArithmetic.merge(Golden.modelDir("tiny-olmo3"), base, post, 1.0, true, out);

        assertThat(report.merged()).contains("model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight",
                "model.norm.weight", TaskArithmetic.SUBWORD_TABLE);
        assertThat(report.merged()).allMatch(n -> n.startsWith("model.layers.") || n.equals("model.norm.weight")
                || n.equals(TaskArithmetic.SUBWORD_TABLE));
        assertThat(report.shapeMismatch()).singleElement().asString().startsWith("lm_head.weight");
        assertThat(report.unmatched()).contains("model.local_encoder.layers.0.xlstm.q.weight",
                "model.local_decoder.in_projection.weight");
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HfCheckpoint in = HfCheckpoint.open(Golden.modelDir("tiny-olmo3"));
                HfCheckpoint b = HfCheckpoint.open(base);
                HfCheckpoint p = HfCheckpoint.open(post);
                HfCheckpoint merged = HfCheckpoint.open(out)) {
            String q = "model.layers.0.self_attn.q_proj.weight";
            NDArray expected = in.load(q, m).add(p.load(q, m).sub(b.load(q, m)));
            assertThat(Golden.maxAbsDiff(merged.load(q, m), expected)).isLessThanOrEqualTo(1e-6f);
            NDArray table = in.load(TaskArithmetic.SUBWORD_TABLE, m).add(
                    p.load("model.embed_tokens.weight", m).sub(b.load("model.embed_tokens.weight", m)));
            assertThat(Golden.maxAbsDiff(merged.load(TaskArithmetic.SUBWORD_TABLE, m), table)).isLessThanOrEqualTo(1e-6f);
            for (String local : report.unmatched()) {
                assertThat(merged.load(local, m).toFloatArray()).containsExactly(in.load(local, m).toFloatArray());
            }
            assertThat(merged.load("lm_head.weight", m).toFloatArray())
                    .containsExactly(in.load("lm_head.weight", m).toFloatArray());
        }
    }

    @Test
    void differentBaseAndPostTrainedLayoutsAreRejectedByName() {
        assertThatThrownBy(() -> TaskArithmetic.merge(Golden.modelDir("tiny-olmo3"), sourceModel("base", 1, 2),
                sourceModel("post", 2, 1), 1.0, false, dir.resolve("never")))
                .hasMessageContaining("different tensor names");
        assertThat(dir.resolve("never")).doesNotExist();
    }
}
