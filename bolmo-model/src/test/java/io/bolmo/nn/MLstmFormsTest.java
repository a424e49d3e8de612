package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parallel (whole-sequence) and recurrent (step) forms of the mLSTM compute the same function. */
class MLstmFormsTest {

    @Test
    void parallelAndRecurrentFormsAgree() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> t = Golden.tensors(m, Golden.modelDir("tiny-olmo2").resolve("model.safetensors"));
            Weights w = Weights.fromMap(m, t);
            MLstmLayer layer = MLstmLayer.take(w, "model.local_decoder.layers.1.xlstm", 96, 4);
            m.getEngine().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(2, 150, 96));

            MLstmLayer.Output parallel = layer.forward(x, true);
            MLstmLayer.State state = layer.zeroState(m, 2);
            List<NDArray> ys = new ArrayList<>();
            for (int s = 0; s < 150; s++) {
                MLstmLayer.Output o = layer.step(x.get(new NDIndex(":, " + s)), state);
                ys.add(o.y());
                state = o.state();
            }
            NDArray recurrent = NDArrays.stack(new NDList(ys), 1);

            assertThat(Golden.maxAbsDiff(parallel.y(), recurrent)).isLessThanOrEqualTo(1e-4f);
            assertThat(Golden.maxAbsDiff(parallel.state().m(), state.m())).isLessThanOrEqualTo(1e-4f);
            // C and n are stabilised by m; compare them relative to their scale
            float cScale = state.c().abs().max().getFloat();
            assertThat(Golden.maxAbsDiff(parallel.state().c(), state.c()) / cScale).isLessThanOrEqualTo(1e-4f);
            assertThat(Golden.maxAbsDiff(parallel.state().n(), state.n()) / state.n().abs().max().getFloat())
                    .isLessThanOrEqualTo(1e-4f);
            w.close();
        }
    }

    @Test
    void continuingFromAParallelPrefillStateMatchesTheWholeSequence() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Weights w = Weights.fromMap(m, Golden.tensors(m, Golden.modelDir("tiny-olmo3").resolve("model.safetensors")));
            MLstmLayer layer = MLstmLayer.take(w, "model.local_encoder.layers.0.xlstm", 64, 4);
            m.getEngine().setRandomSeed(11);
            NDArray x = m.randomNormal(new Shape(1, 40, 64));
            // also across the chunk boundary of the whole-sequence form
            NDArray longer = m.randomNormal(new Shape(1, 200, 64));
            NDArray longWhole = layer.forward(longer);
            NDArray longRest = layer.forward(longer.get(new NDIndex(":, 70:")), layer.forward(longer.get(new NDIndex(":, :70")), true).state(), false).y();
            assertThat(Golden.maxAbsDiff(longRest, longWhole.get(new NDIndex(":, 70:")))).isLessThanOrEqualTo(1e-4f);
            NDArray whole = layer.forward(x);
            MLstmLayer.Output prefix = layer.forward(x.get(new NDIndex(":, :30")), true);
            MLstmLayer.State state = prefix.state();
            NDArray rest = layer.forward(x.get(new NDIndex(":, 30:")), prefix.state(), false).y();
            assertThat(Golden.maxAbsDiff(rest, whole.get(new NDIndex(":, 30:")))).isLessThanOrEqualTo(1e-4f);
            for (int s = 30; s < 40; s++) {
                MLstmLayer.Output o = layer.step(x.get(new NDIndex(":, " + s)), state);
                assertThat(Golden.maxAbsDiff(o.y(), whole.get(new NDIndex(":, " + s)))).isLessThanOrEqualTo(1e-4f);
                state = o.state();
            }
            w.close();
        }
    }
}
