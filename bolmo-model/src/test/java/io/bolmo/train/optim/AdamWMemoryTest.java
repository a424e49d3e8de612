package io.bolmo.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AdamWMemoryTest {

    /** getManagedArrays() counts the live arrays of a manager and all its sub-managers (the optimizer state's). */
    @Test
    void fiveHundredStepsLeaveNoArraysBehind() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            try (AdamW opt = BolmoOptimizers.stage2(0.5).build(params)) {
                TinyProblem.backward(manager, params, 0);
                opt.clipGradNorm(0.5);
                opt.step(1e-3);
                int live = manager.getManagedArrays().size();
                for (int t = 1; t <= 500; t++) {
                    TinyProblem.backward(manager, params, t);
                    opt.clipGradNorm(0.5);
                    opt.step(1e-3);
                }
                assertThat(manager.getManagedArrays()).hasSize(live);
            }
            assertThat(manager.getManagedArrays()).hasSize(params.size()); // close() released the moments
        }
    }

    /** libtorch's grad mode is thread-local and on for new threads; the step must still update in place. */
    @Test
    void stepsOnAWorkerThread() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            float[] before = params.get(TinyProblem.NORM).toFloatArray();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try (AdamW opt = BolmoOptimizers.stage2(0.5).build(params)) {
                Thread worker = new Thread(() -> {
                    try {
                        TinyProblem.backward(manager, params, 1);
                        opt.clipGradNorm(0.5);
                        opt.step(1e-3);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                worker.start();
                worker.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(params.get(TinyProblem.NORM).toFloatArray()).isNotEqualTo(before);
        }
    }
}
