package io.bolmo.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.bolmo.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Byte t+2 and later never reach positions ≤ t; byte t+1 reaches position t only through the boundary decision
 * of t (one byte of lookahead), so with boundaries held fixed it changes nothing there.
 */
class CausalityTest {

    private static final int T = 20;
    private static final JsonObject TEXT = Golden.texts("tiny-olmo3").get(0);

    /** A copy of {@code ids} whose entries from {@code from} on are replaced by other values in [offset, offset+range). */
    private static int[] changedFrom(int[] ids, int from, int range, int offset) {
        int[] out = ids.clone();
        for (int t = from; t < ids.length; t++) {
            out[t] = offset + (ids[t] * 7 + 13) % range;
        }
        return out;
    }

    @Test
    void laterBytesDoNotReachEarlierPositions() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                BolmoModel model = Golden.loadModel(m, "tiny-olmo3")) {
            int[] ids = Golden.ints(TEXT, "input_ids");
            int[] sub = Golden.ints(TEXT, "expanded_subword_ids");
            int[] changedIds = changedFrom(ids, T + 2, 256, 4);
            int[] changedSub = changedFrom(sub, T + 2, 4096, 0);
            try (BolmoModel.Output a = forward(m, model, ids, sub, null);
                    BolmoModel.Output b = forward(m, model, changedIds, changedSub, null)) {
                assertThat(maxDiffUpTo(a.logits(), b.logits(), T)).isEqualTo(0f);
                assertThat(maxDiffUpTo(a.boundaryLogProbs(), b.boundaryLogProbs(), T)).isEqualTo(0f);
                assertThat(maxDiffUpTo(a.logits(), b.logits(), ids.length - 1)).isGreaterThan(0f);
            }
        }
    }

    @Test
    void theNextByteActsOnlyThroughTheBoundaryDecision() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                BolmoModel model = Golden.loadModel(m, "tiny-olmo3")) {
            int[] ids = Golden.ints(TEXT, "input_ids");
            int[] sub = Golden.ints(TEXT, "expanded_subword_ids");
            int[] changedIds = changedFrom(ids, T + 1, 256, 4);
            int[] changedSub = changedFrom(sub, T + 1, 4096, 0);
            try (BolmoModel.Output a = forward(m, model, ids, sub, null)) {
                Patches fixed = a.patches();
                try (BolmoModel.Output b = forward(m, model, changedIds, changedSub, fixed)) {
                    assertThat(maxDiffUpTo(a.logits(), b.logits(), T)).isEqualTo(0f);
                    // the decision of byte T itself looks at byte T+1
                    assertThat(Math.abs(a.boundaryLogProbs().getFloat(0, T) - b.boundaryLogProbs().getFloat(0, T)))
                            .isGreaterThan(0f);
                }
            }
        }
    }

    private static BolmoModel.Output forward(NDManager m, BolmoModel model, int[] ids, int[] sub, Patches fixed) {
        return model.forward(m.create(ids, new Shape(1, ids.length)), m.create(sub, new Shape(1, sub.length)), fixed);
    }

    private static float maxDiffUpTo(NDArray a, NDArray b, int t) {
        NDIndex upTo = new NDIndex(":, :" + (t + 1));
        return Golden.maxAbsDiff(a.get(upTo), b.get(upTo));
    }
}
