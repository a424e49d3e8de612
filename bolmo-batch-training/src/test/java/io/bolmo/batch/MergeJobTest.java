package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.train.StudentInit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.beans.factory.annotation.Autowired;

/** The {@code merge} job runs task arithmetic on directories and validates its parameters up front. */
class MergeJobTest extends JobRepositoryTestBase {

    @Autowired
    Job merge;

    @Test
    void mergesThePostTrainingDeltaIntoTheGlobalBlocks() throws Exception {
        Path base = TinyByteify.root().resolve("teacher");
        Path post = WORK.resolve("merge/post");
        Path bolmo = WORK.resolve("merge/bolmo");
        try (NDManager m = NDManager.newBaseManager("PyTorch"); HfCheckpoint b = HfCheckpoint.open(base);
                OlmoModel teacher = OlmoModel.create(b.olmoConfig(), Weights.from(m, b));
                OlmoModel tuned = OlmoModel.create(b.olmoConfig(), Weights.from(m, new RandomWeights(4)))) {
            HfCheckpointWriter.to(post).config(b.olmoConfig().toJson()).weights(tuned.weights().all()).write();
            BolmoConfig config = StudentInit.configFor(b.olmoConfig(), 1, 2, 4, 96, 8196, "tokenizer.json");
            try (BolmoModel student = StudentInit.student(config, teacher, 5, m)) {
                HfCheckpointWriter.to(bolmo).config(config.toJson()).weights(student.weights().all())
                        .copy(base.resolve("tokenizer.json")).write();
            }
        }
        Path out = WORK.resolve("merge/merged");
        JobExecution e = operator.start(merge, TinyByteify.parameters(Map.of("bolmo", bolmo.toString(),
                "base", base.toString(), "post-trained", post.toString(), "alpha", "0.5", "output", out.toString())));

        assertThat(e.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String q = "model.layers.1.self_attn.q_proj.weight";
        float[] expected = add(TinyByteify.weights(bolmo).get(q), TinyByteify.weights(post).get(q),
                TinyByteify.weights(base).get(q), 0.5f);
        float[] merged = TinyByteify.weights(out).get(q);
        for (int i = 0; i < merged.length; i++) {
            assertThat(merged[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(TinyByteify.weights(out).get("model.local_encoder.layers.0.xlstm.q.weight"))
                .containsExactly(TinyByteify.weights(bolmo).get("model.local_encoder.layers.0.xlstm.q.weight"));
        try (Bolmo loaded = Bolmo.load(out)) {
            assertThat(loaded.parameterCount()).isPositive();
        }
    }

    @Test
    void badParametersAreRejectedByNameBeforeAnythingRuns() {
        Path base = TinyByteify.root().resolve("teacher");
        assertThatThrownBy(() -> operator.start(merge, TinyByteify.parameters(Map.of("bolmo", base.toString(),
                "base", base.toString(), "post-trained", base.toString(), "alpha", "lots", "output", "x"))))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining("job parameter 'alpha' = 'lots' is invalid: not a number");
        assertThatThrownBy(() -> operator.start(merge, TinyByteify.parameters(Map.of("bolmo", "/nope",
                "base", base.toString(), "post-trained", base.toString(), "output", "x"))))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining("job parameter 'bolmo' = '/nope' is invalid: not a Hugging Face model directory");
        assertThatThrownBy(() -> operator.start(merge, TinyByteify.parameters(Map.of("bolmo", base.toString(),
                "base", base.toString(), "post-trained", base.toString(), "output", "x", "alhpa", "2"))))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining("unknown job parameter 'alhpa'")
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> operator.start(merge, TinyByteify.parameters(Map.of("bolmo", base.toString(),
                "base", base.toString(), "post-trained", base.toString()))))
                .isInstanceOf(InvalidJobParametersException.class).hasMessageContaining("job parameter 'output' is"
                        + " required");
    }

    private static float[] add(float[] theta, float[] post, float[] base, float alpha) {
        float[] out = new float[theta.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = theta[i] + alpha * (post[i] - base[i]);
        }
        return out;
    }
}
