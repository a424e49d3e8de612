package io.bolmo.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWStateTest {

    private static final int STEPS = 10;
    private static final LrSchedule SCHEDULE = LrSchedule.linearWithWarmup(0.05, STEPS, 0.2, 0.0);

    @TempDir
    Path dir;

    private static AdamW.Builder builder() {
        return BolmoOptimizers.stage2(0.5);
    }

    /** Runs steps {@code from..to} (1-based, inclusive) with clipping; returns the pre-clip norms. */
    private static List<Double> run(NDManager manager, LinkedHashMap<String, NDArray> params, AdamW opt, int from,
            int to) {
        List<Double> norms = new ArrayList<>();
        for (int t = from; t <= to; t++) {
            TinyProblem.backward(manager, params, t);
            norms.add(opt.clipGradNorm(BolmoOptimizers.MAX_GRAD_NORM));
            opt.step(SCHEDULE.lr(opt.stepCount() + 1));
        }
        return norms;
    }

    @Test
    void splitRunWithSaveAndRestoreEqualsUnsplitRunExactly() throws Exception {
        Map<String, float[]> unsplit;
        List<Double> unsplitNorms;
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            try (AdamW opt = builder().build(params)) {
                unsplitNorms = run(manager, params, opt, 1, STEPS);
                unsplit = TinyProblem.values(params);
            }
        }
        Path file = dir.resolve("optim.safetensors");
        Map<String, float[]> half;
        List<Double> norms = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            try (AdamW opt = builder().build(params)) {
                norms.addAll(run(manager, params, opt, 1, STEPS / 2));
                opt.save(file);
                half = TinyProblem.values(params);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, half);
            try (AdamW opt = builder().build(params)) {
                opt.load(file);
                assertThat(opt.stepCount()).isEqualTo(STEPS / 2);
                norms.addAll(run(manager, params, opt, STEPS / 2 + 1, STEPS));
                Map<String, float[]> split = TinyProblem.values(params);
                for (String name : unsplit.keySet()) {
                    assertThat(split.get(name)).as(name).containsExactly(unsplit.get(name));
                }
            }
        }
        assertThat(norms).containsExactlyElementsOf(unsplitNorms);
        assertThat(unsplitNorms.get(0)).isGreaterThan(BolmoOptimizers.MAX_GRAD_NORM); // clipping was exercised
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("optim.safetensors");
        }
    }

    @Test
    void saveReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("optim.safetensors");
        Files.writeString(file, "old");
        try (NDManager manager = NDManager.newBaseManager();
                AdamW opt = builder().build(TinyProblem.params(manager, TinyProblem.initialValues()))) {
            opt.save(file);
            opt.load(file);
            assertThat(opt.stepCount()).isZero();
        }
    }

    @Test
    void restoreRejectsMissingExtraAndMisShapedEntriesByName() throws Exception {
        Path file = dir.resolve("optim.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            try (AdamW opt = builder().build(TinyProblem.params(manager, TinyProblem.initialValues()))) {
                opt.save(file);
            }
            LinkedHashMap<String, NDArray> more = TinyProblem.params(manager, TinyProblem.initialValues());
            more.put("model.lm_head.weight", manager.zeros(new ai.djl.ndarray.types.Shape(2)));
            try (AdamW opt = builder().build(more)) {
                assertThatThrownBy(() -> opt.load(file)).isInstanceOf(OptimizerStateException.class)
                        .hasMessageContaining("model.lm_head.weight");
            }
            LinkedHashMap<String, NDArray> fewer = TinyProblem.params(manager, TinyProblem.initialValues());
            fewer.remove(TinyProblem.NORM);
            try (AdamW opt = builder().build(fewer)) {
                assertThatThrownBy(() -> opt.load(file)).isInstanceOf(OptimizerStateException.class)
                        .hasMessageContaining(TinyProblem.NORM);
            }
            LinkedHashMap<String, NDArray> reshaped = TinyProblem.params(manager, TinyProblem.initialValues());
            reshaped.put(TinyProblem.NORM, manager.zeros(new ai.djl.ndarray.types.Shape(2, 2)));
            try (AdamW opt = builder().build(reshaped)) {
                assertThatThrownBy(() -> opt.load(file)).isInstanceOf(OptimizerStateException.class)
                        .hasMessageContaining(TinyProblem.NORM).hasMessageContaining("(2, 2)");
            }
            try (AdamW opt = BolmoOptimizers.stage1().freeze("nothing")
                    .build(TinyProblem.params(manager, TinyProblem.initialValues()))) {
                assertThatThrownBy(() -> opt.load(file)).isInstanceOf(OptimizerStateException.class)
                        .hasMessageContaining("beta2");
            }
        }
    }
}
