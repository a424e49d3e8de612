package io.bolmo.eval;

import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.Scores;
import io.bolmo.tokenize.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Byte log-likelihoods from a plain Bolmo pass ({@link Engine#score}: the predictor's own boundaries, {@code
 * sample:0}) with the flag marginalised, P(byte) = P(byte, no-bnd) + P(byte, bnd) (model.md §5.5, as olmes
 * {@code hf_bolmo}). Note that the predictor looks one byte ahead (model.md §4.1), so the patching of a whole-sequence
 * pass is that of the reference evaluation, not of byte-by-byte generation.
 */
public final class BolmoScorer implements LikelihoodScorer {

    private final Engine engine;
    private final UnaryOperator<int[]> subwordRows;

    /** @param subwordRows byte ids → retained-subword rows (model.md §2.2), e.g. {@code Bolmo::subwordIds} */
    public BolmoScorer(Engine engine, UnaryOperator<int[]> subwordRows) {
        this.engine = engine;
        this.subwordRows = subwordRows;
    }

    public static BolmoScorer of(Bolmo bolmo) {
        return new BolmoScorer(bolmo.engine(), bolmo::subwordIds);
    }

    /** Scores {@code byteIds} (plain ids, no BOS) after a BOS. */
    public ByteScores score(int[] byteIds) {
        int n = byteIds.length;
        int[] ids = new int[n + 1];
        ids[0] = BolmoConfig.BOS_ID;
        System.arraycopy(byteIds, 0, ids, 1, n);
        Scores s = engine.score(ids, subwordRows.apply(ids));
        int[] beta = new int[n]; // β of input position i+1 = byte i (position 0 is BOS)
        for (int i = 0; i < n; i++) {
            beta[i] = s.boundaries()[i + 1] ? 1 : 0;
        }
        return new ByteScores(byteLogprobs(s.logits(), s.vocab(), byteIds), beta);
    }

    /**
     * ln P(byte i) for the n bytes after BOS from logits {@code [n + 1, V]} of BOS + bytes (row-major), flag
     * marginalised: position t scores byte t (input position t + 1); the last position predicts past the window.
     * In double precision: log-sum-exp over the whole row (padding included, as a log-softmax over it), then
     * log(e^a + e^b) of the plain and the flagged id.
     */
    public static float[] byteLogprobs(float[] logits, int vocab, int[] byteIds) {
        float[] out = new float[byteIds.length];
        for (int t = 0; t < byteIds.length; t++) {
            float[] row = Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab);
            double z = logSumExp(row);
            double a = row[byteIds[t]] - z;
            double b = row[byteIds[t] + BolmoConfig.PLAIN_VOCAB] - z;
            double max = Math.max(a, b);
            out[t] = (float) (max + Math.log(Math.exp(a - max) + Math.exp(b - max)));
        }
        return out;
    }

    /** ln Σ e^x over a row, stabilised by its maximum. */
    static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : row) {
            max = Math.max(max, f);
        }
        double sum = 0;
        for (float f : row) {
            sum += Math.exp(f - max);
        }
        return max + Math.log(sum);
    }

    /** ln P(continuation bytes | BOS + prompt bytes), flag marginalised; each text is its UTF-8 bytes + 4. */
    @Override
    public double logLikelihood(String prompt, String continuation) {
        int[] p = byteIds(prompt);
        int[] c = byteIds(continuation);
        int[] all = new int[p.length + c.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(c, 0, all, p.length, c.length);
        float[] lp = score(all).logprobs();
        double sum = 0;
        for (int i = p.length; i < all.length; i++) {
            sum += lp[i];
        }
        return sum;
    }

    static int[] byteIds(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = ByteTokenizer.byteId(b[i]);
        }
        return ids;
    }
}
