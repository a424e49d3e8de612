package io.bolmo.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.bench.FormatAgreement;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.engine.WeightFormat;
import org.junit.jupiter.api.Test;

/**
 * On Bolmo-1B shapes (d 2048, 16 local heads, local FFN 2816, global FFN 8192, 640-way head) with random weights,
 * over 1,000 positions: bf16 and q8_0 make the same boundary decisions as float32 at ≥ 99 % of the bytes, and on
 * float32's patches predict the same next byte at ≥ 99 % (bf16) and ≥ 97.5 % (q8_0, short of the 99 %),
 * and at ≥ 99 % (both) where float32 is decided, every flip being a near-tie; q4_0 far less often (below).
 *
 * <p>The patches are held at float32's because a random Bolmo is close to indifferent everywhere: half of its
 * boundary decisions sit near the threshold and its next byte leads the runner-up by 0.2 nat at the median position
 * (the trained shipped model: 1.05 nat), so rounding flips near-ties; one flipped boundary changes every later
 * patch, and the end-to-end agreement (measured 0.94 bf16, 0.85 q8_0) says more about the random model than about
 * the formats. The mLSTM input gates are random with bias 0, not the reference's
 * training initialisation of −10: there every head's output is nearly ±v with its sign set by a q·k close to 0,
 * and rounding the local MLPs alone to bf16 already flips 9 % of the next bytes. Reduced depth so that it runs in
 * CI: 1 encoder, 1 decoder and 1 global block, and a subword table of 8,196 rows; the full shape is
 * {@code bolmo bench --preset bolmo-1b --dtype q8_0 --agreement 1000} (docs/benchmarks.md).
 */
class FormatsAgreementTest {

    @Test
    void lowPrecisionFormatsDecideAsFloat32() {
        BolmoConfig full = ModelPresets.withGlobalLayers(ModelPresets.bolmoOneB(), 1);
        BolmoConfig config = new BolmoConfig(full.global(), full.vocabSize(), 1, 1, full.numLocalHeads(),
                full.localIntermediateSize(), full.localRmsNormEps(), ModelPresets.CL100K_8192_VOCAB, true, 1,
                "sample:0", null);
        var results = FormatAgreement.measure(config, java.util.List.of(WeightFormat.BF16, WeightFormat.Q8_0, WeightFormat.Q4_0),
                1000,
                42, 2, 0f);
        FormatAgreement.Result bf16 = results.get(WeightFormat.BF16);
        FormatAgreement.Result q8 = results.get(WeightFormat.Q8_0);
        assertThat(bf16.boundaries()).isGreaterThanOrEqualTo(0.99);
        assertThat(q8.boundaries()).isGreaterThanOrEqualTo(0.99);
        assertThat(bf16.nextByteOnReferencePatches()).isGreaterThanOrEqualTo(0.99);
        assertThat(q8.nextByteOnReferencePatches()).isGreaterThanOrEqualTo(0.975);
        // where f32 is decided (its next byte ahead of the runner-up by ≥ 0.1 nat), the 99 % holds for both
        String decided = String.format("decided positions %d, median f32 lead %.4f nat; bf16 %.4f (largest flipped"
                + " lead %.4f), q8_0 %.4f (%.4f)", bf16.decidedPositions(), bf16.medianMargin(),
                bf16.nextByteWhereDecided(), bf16.largestFlippedMargin(), q8.nextByteWhereDecided(),
                q8.largestFlippedMargin());
        assertThat(bf16.decidedPositions()).as(decided).isGreaterThan(100);
        assertThat(bf16.nextByteWhereDecided()).as(decided).isGreaterThanOrEqualTo(0.99);
        assertThat(q8.nextByteWhereDecided()).as(decided).isGreaterThanOrEqualTo(0.99);
        // and every byte that rounding flipped was a near-tie for f32 (measured: leads of at most 0.010 nat bf16,
        // 0.039 q8_0, where f32's median lead is 0.20)
        assertThat(bf16.largestFlippedMargin()).as(decided).isLessThan(FormatAgreement.DECIDED_MARGIN);
        assertThat(q8.largestFlippedMargin()).as(decided).isLessThan(FormatAgreement.DECIDED_MARGIN);
        FormatAgreement.Result q4 = results.get(WeightFormat.Q4_0);
        // q4_0 moves each weight by up to a sixteenth of its block's range: on this near-indifferent random model
        // measured 0.946 of the boundaries and 0.674 of the next bytes (a broken kernel agrees at 0.5 and 1/256);
        // its quality is measured on the trained small model (SmallModelFormatsTest: +1.9 % bits per byte)
        assertThat(q4.boundaries()).isGreaterThanOrEqualTo(0.92);
        assertThat(q4.nextByteOnReferencePatches()).isGreaterThanOrEqualTo(0.6);
    }
}
