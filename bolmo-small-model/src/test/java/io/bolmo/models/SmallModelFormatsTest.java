package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.Bolmo;
import io.bolmo.bench.FormatAgreement;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.eval.BolmoScorer;
import io.bolmo.eval.EvalOptions;
import io.bolmo.eval.Evaluation;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.eval.HeldOutResult;
import io.bolmo.tokenize.SubwordTokenizer;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java engine's low-precision formats on the shipped Bolmo, measured against its own float32 on 8 held-out
 * Europarl documents as {@code bolmo eval} scores them (issue 17): bits per byte within +0.1 % (bf16), +0.5 %
 * (q8_0) and +3 % (q4_0, measured +1.9 %), boundary F1 within 0.005.
 */
class SmallModelFormatsTest {

    @TempDir
    Path dir;

    @Test
    void lowPrecisionFormatsKeepBitsPerByteAndBoundariesOfFloat32() {
        List<String> documents;
        try (Corpus corpus = Corpus.open(EuroparlCorpus.materialise(dir, 2000), CorpusOptions.DEFAULT)) {
            documents = HeldOutDocuments.of(corpus, 100, 8);
        }
        HeldOutResult f32 = evaluate(documents, "f32");
        HeldOutResult bf16 = evaluate(documents, "bf16");
        HeldOutResult q8 = evaluate(documents, "q8_0");
        HeldOutResult q4 = evaluate(documents, "q4_0");
        assertThat(bf16.bolmoBitsPerByte()).isLessThanOrEqualTo(1.001 * f32.bolmoBitsPerByte());
        assertThat(q8.bolmoBitsPerByte()).isLessThanOrEqualTo(1.005 * f32.bolmoBitsPerByte());
        assertThat(bf16.boundaries().f1()).isCloseTo(f32.boundaries().f1(), org.assertj.core.data.Offset.offset(0.005));
        assertThat(q8.boundaries().f1()).isCloseTo(f32.boundaries().f1(), org.assertj.core.data.Offset.offset(0.005));
        // q4_0: measured 2.1611 against 2.1206 bits per byte (+1.9 %), F1 0.9344 against 0.9339 (2026-12-07)
        assertThat(q4.bolmoBitsPerByte()).isLessThanOrEqualTo(1.03 * f32.bolmoBitsPerByte());
        assertThat(q4.boundaries().f1()).isCloseTo(f32.boundaries().f1(), org.assertj.core.data.Offset.offset(0.005));
        // the formats really differ from float32 (a format that silently fell back would pass the bounds above)
        assertThat(bf16.bolmoBitsPerByte()).isNotEqualTo(f32.bolmoBitsPerByte());
        assertThat(q8.bolmoBitsPerByte()).isNotEqualTo(f32.bolmoBitsPerByte());
        assertThat(q4.bolmoBitsPerByte()).isGreaterThan(q8.bolmoBitsPerByte());
    }

    /**
     * The same held-out documents through the decoding kernels (q8_0's rounds its inputs to int8 per block, as
     * llama.cpp does, where prefill and {@code bolmo eval} keep floats): each byte is fed as a decoding step after a
     * lone BOS, with the model's own boundary decision on it, and scored before it is fed. Measured 2026-12-07 over
     * 4,652 bytes: f32 3.3384 bits per byte, bf16 3.3413, q8_0 3.3181 (3.3401 with float inputs, before the integer
     * kernel), q4_0 3.3715 (float inputs); the argmax byte equal to f32's at 0.9955 (bf16), 0.9753 (q8_0; 0.9847 with
     * float inputs) and 0.8231 (q4_0). A q8_0 kernel tried on 2026-12-08 that adds the same exact block sums in another
     * float order gave 3.3235 and 0.9708 with 16 lanes, 3.3251 and 0.9755 with 8: float order alone moves the
     * agreement by half a percent (one flipped boundary changes every later patch), so its bound is 0.96.
     */
    @Test
    void decodingStepsKeepBitsPerByteOfFloat32() {
        List<String> documents;
        try (Corpus corpus = Corpus.open(EuroparlCorpus.materialise(dir, 2000), CorpusOptions.DEFAULT)) {
            documents = HeldOutDocuments.of(corpus, 100, 8);
        }
        Decoded f32 = decode(documents, "f32", null);
        Decoded bf16 = decode(documents, "bf16", f32);
        Decoded q8 = decode(documents, "q8_0", f32);
        Decoded q4 = decode(documents, "q4_0", f32);
        String figures = String.format("bits per byte f32 %.4f, bf16 %.4f, q8_0 %.4f, q4_0 %.4f; next byte as f32:"
                + " bf16 %.4f, q8_0 %.4f, q4_0 %.4f (%d bytes)", f32.bitsPerByte(), bf16.bitsPerByte(),
                q8.bitsPerByte(), q4.bitsPerByte(), bf16.agreement(), q8.agreement(), q4.agreement(),
                f32.argmax().length);
        assertThat(f32.argmax().length).as(figures).isGreaterThan(2000);
        // at most the eval bounds worse; rounding may as well land a little better (q8_0 did, by 0.6 %)
        assertThat(bf16.bitsPerByte()).as(figures).isLessThanOrEqualTo(1.001 * f32.bitsPerByte());
        assertThat(q8.bitsPerByte()).as(figures).isLessThanOrEqualTo(1.005 * f32.bitsPerByte());
        assertThat(q8.bitsPerByte()).as(figures).isNotEqualTo(f32.bitsPerByte());
        assertThat(bf16.agreement()).as(figures).isGreaterThanOrEqualTo(0.99);
        assertThat(q8.agreement()).as(figures).isGreaterThanOrEqualTo(0.96);
        assertThat(q4.bitsPerByte()).as(figures).isLessThanOrEqualTo(1.03 * f32.bitsPerByte());
        assertThat(q4.agreement()).as(figures).isGreaterThanOrEqualTo(0.78);
        // where f32 is decided (its next byte ahead by ≥ 0.1 nat: 4,323 of 4,652 positions of this trained model,
        // median lead 1.05 nat) the formats pick its byte far more often than overall: measured 2026-12-08 bf16
        // 0.9981, q8_0 0.9868 (each on its own patches, so a flipped boundary still moves later bytes; q8_0 also
        // rounds its inputs to int8 here). Random Bolmo-1B weights on f32's patches: bf16 1.000, q8_0 0.9986
        // (FormatAgreement, docs/benchmarks.md)
        String decided = String.format("f32 decided at %d of %d positions (median lead %.3f nat); there next byte as"
                + " f32: bf16 %.4f, q8_0 %.4f", f32.decided(), f32.argmax().length, f32.medianMargin(),
                bf16.agreementWhereDecided(f32), q8.agreementWhereDecided(f32));
        assertThat(f32.decided()).as(decided).isGreaterThan(f32.argmax().length / 2);
        assertThat(bf16.agreementWhereDecided(f32)).as(decided).isGreaterThanOrEqualTo(0.99);
        assertThat(q8.agreementWhereDecided(f32)).as(decided).isGreaterThanOrEqualTo(0.98);
    }

    /**
     * Bits per byte of the fed bytes, the argmax byte before each and how far it led the runner-up (nats,
     * {@link FormatAgreement#margin}), and the share of argmaxes equal to f32's.
     */
    private record Decoded(double bitsPerByte, int[] argmax, double[] margins, double agreement) {

        /** Positions where this (f32) run is decided ({@link FormatAgreement#DECIDED_MARGIN}). */
        int decided() {
            return (int) java.util.Arrays.stream(margins).filter(m -> m >= FormatAgreement.DECIDED_MARGIN).count();
        }

        double medianMargin() {
            double[] sorted = margins.clone();
            java.util.Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        /** The share of argmaxes equal to {@code reference}'s where it is decided. */
        double agreementWhereDecided(Decoded reference) {
            int same = 0;
            for (int i = 0; i < argmax.length; i++) {
                boolean decided = reference.margins[i] >= FormatAgreement.DECIDED_MARGIN;
                same += decided && argmax[i] == reference.argmax[i] ? 1 : 0;
            }
            return same / (double) reference.decided();
        }
    }

    private static Decoded decode(List<String> documents, String dtype, Decoded reference) {
        try (Bolmo bolmo = Bolmo.load(SmallModel.bolmo(), Bolmo.Options.defaults().withEngine("java").withDtype(dtype))) {
            double bits = 0;
            java.util.List<Integer> argmax = new java.util.ArrayList<>();
            java.util.List<Double> margins = new java.util.ArrayList<>();
            for (String document : documents) {
                byte[] utf8 = document.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int[] ids = new int[Math.min(utf8.length, 600) + 1];
                ids[0] = BolmoConfig.BOS_ID;
                for (int i = 1; i < ids.length; i++) {
                    ids[i] = (utf8[i - 1] & 0xFF) + BolmoConfig.BYTE_OFFSET;
                }
                int[] rows = bolmo.subwordIds(ids);
                try (Engine.Sequence sequence = bolmo.engine().prefill(new int[] {ids[0]}, new int[] {rows[0]}, () -> false);
                        Engine.Batch batch = bolmo.engine().newBatch()) {
                    batch.join(sequence);
                    float[] logits = sequence.logits();
                    for (int t = 1; t < ids.length; t++) {
                        bits += bitsOf(logits, ids[t]);
                        argmax.add(FormatAgreement.nextByte(logits));
                        margins.add(FormatAgreement.margin(logits));
                        int unit = logits[ids[t] + BolmoConfig.PLAIN_VOCAB] > logits[ids[t]]
                                ? ids[t] + BolmoConfig.PLAIN_VOCAB : ids[t];
                        logits = batch.step(new int[] {unit}, new int[] {rows[t]}, new boolean[] {true})[0];
                    }
                }
            }
            int[] a = argmax.stream().mapToInt(Integer::intValue).toArray();
            double agreement = 1;
            if (reference != null) {
                int same = 0;
                for (int i = 0; i < a.length; i++) {
                    same += a[i] == reference.argmax()[i] ? 1 : 0;
                }
                agreement = (double) same / a.length;
            }
            return new Decoded(bits / a.length, a, margins.stream().mapToDouble(Double::doubleValue).toArray(),
                    agreement);
        }
    }

    /** −log₂ P(byte id), the byte's probability summed over its two fused ids (ends a patch or not). */
    private static double bitsOf(float[] logits, int id) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < BolmoConfig.FUSED_VOCAB; i++) {
            max = Math.max(max, logits[i]);
        }
        double total = 0;
        for (int i = 0; i < BolmoConfig.FUSED_VOCAB; i++) {
            total += Math.exp(logits[i] - max);
        }
        double p = Math.exp(logits[id] - max) + Math.exp(logits[id + BolmoConfig.PLAIN_VOCAB] - max);
        return -Math.log(p / total) / Math.log(2);
    }

    private static HeldOutResult evaluate(List<String> documents, String dtype) {
        try (Bolmo bolmo = Bolmo.load(SmallModel.bolmo(), Bolmo.Options.defaults().withEngine("java").withDtype(dtype));
                SubwordTokenizer subword = SubwordTokenizer.open(SmallModel.teacher().resolve("tokenizer.json"))) {
            assertThat(bolmo.engine().describe()).startsWith("java cpu " + dtype);
            return new Evaluation(subword.encoder(), subword.vocabulary(), EvalOptions.DEFAULT.withTasks(0))
                    .run(dtype, List.of(), documents, BolmoScorer.of(bolmo), null).heldOut();
        }
    }
}
