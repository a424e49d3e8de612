package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertFloats;
import static io.bolmo.train.loss.GoldenLosses.assertInts;
import static io.bolmo.train.loss.GoldenLosses.assertScalar;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GoldenLosses case {@code enc}: alignment with the EOS merge, L2/√d at global layer 3, reference divisor. */
class EncoderLossTest {

    private NDManager manager;
    private GoldenLosses golden;
    private PatchAlignment alignment;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        golden = GoldenLosses.load(manager);
        ByteLabels labels = ByteLabels.of(golden.get("labels.input_ids"), golden.get("labels.patch_lens"));
        alignment = PatchAlignment.of(labels.teacherForcedMask(), labels.patchIds(), 7, 7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void alignmentMergesTheTokenBeforeEosIntoTheEosPatch() {
        assertInts(alignment.patchMask(), golden.get("enc.patch_mask"));
        assertInts(alignment.seqSortedIndices(), golden.get("enc.seq_sorted_indices"));
        assertInts(alignment.alignedIndex(), golden.get("enc.aligned_teacher_index"));
        assertInts(alignment.valid(), golden.get("enc.mask"));
        // row 0: student patch 3 ('.' + EOS) ends at the EOS byte and aligns with teacher position 4, skipping 3
        assertThat(alignment.alignedIndex().getInt(0, 3)).isEqualTo(4);
    }

    @Test
    void layer3DistancesAndFinalisedLoss() {
        EncoderLoss.Result r = EncoderLoss.compute(layers("student"), layers("teacher"),
                EncoderLoss.RELEASED_LAYER_WEIGHTS, alignment, 10f);
        assertThat(r.distances()).containsOnlyKeys(3);
        assertFloats(r.distances().get(3), golden.get("enc.dist_layer3"));
        assertScalar(r.rawMean(), golden.scalar("enc", "loss_raw"));
        assertScalar(r.loss(), golden.scalar("enc", "loss_final"));
        // 11 valid terms (BOS patch included) over 10 subword tokens
        assertThat((int) alignment.valid().toType(ai.djl.ndarray.types.DataType.INT64, false).sum().getLong()).isEqualTo((int) golden.scalar("enc", "mask_count"));
    }

    private List<NDArray> layers(String side) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(golden.get("enc." + side + "_hidden_" + i));
        }
        return out;
    }
}
