package io.bolmo.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.NoGrad;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.train.loss.BitsPerByte;
import io.bolmo.train.loss.ByteLabels;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Byte log-likelihoods from a plain Bolmo forward (the predictor's own boundaries, {@code sample:0}) with the flag
 * marginalised, P(byte) = P(byte, no-bnd) + P(byte, bnd) (spec 5.5, as olmes {@code hf_bolmo}). Note that the
 * predictor looks one byte ahead (spec 4.1), so the patching of a whole-sequence pass is that of the reference
 * evaluation, not of byte-by-byte generation.
 */
public final class BolmoScorer implements LikelihoodScorer {

    private final BolmoModel model;
    private final UnaryOperator<int[]> subwordRows;

    /** @param trie the retained-subword trie (null for a model without expanded embeddings) */
    public BolmoScorer(BolmoModel model, SubwordSuffixTrie trie) {
        this(model, ids -> SubwordSuffixTrie.embeddingRows(trie, ids));
    }

    /** @param subwordRows byte ids → retained-subword rows (spec 2.2), e.g. {@code Bolmo::subwordIds} */
    public BolmoScorer(BolmoModel model, UnaryOperator<int[]> subwordRows) {
        this.model = model;
        this.subwordRows = subwordRows;
    }

    public static BolmoScorer of(Bolmo bolmo) {
        return new BolmoScorer(bolmo.model(), bolmo::subwordIds);
    }

    /** Scores {@code byteIds} (plain ids, no BOS) after a BOS. */
    public ByteScores score(int[] byteIds) {
        int n = byteIds.length;
        int[] ids = new int[n + 1];
        ids[0] = BolmoConfig.BOS_ID;
        System.arraycopy(byteIds, 0, ids, 1, n);
        int[] sub = subwordRows.apply(ids);
        try (NoGrad g = NoGrad.enter(); NDManager m = model.weights().manager().newSubManager()) {
            Shape row = new Shape(1, n + 1);
            try (BolmoModel.Output o = model.forward(m.create(ids, row), m.create(sub, row))) {
                // β of input position i+1 = byte i (position 0 is BOS)
                int[] beta = o.boundaryMask().get(new NDIndex("0, 1:")).toType(DataType.INT32, false)
                        .toIntArray();
                return new ByteScores(byteLogprobs(o.logits(), byteIds), beta);
            }
        }
    }

    /**
     * ln P(byte i) for the n bytes after BOS from logits [1, n + 1, V] of BOS + bytes, flag marginalised: position
     * t scores byte t (input position t + 1); the last position predicts past the window and is dropped.
     */
    public static float[] byteLogprobs(NDArray logits, int[] byteIds) {
        int n = byteIds.length;
        int[] labels = new int[n + 1];
        System.arraycopy(byteIds, 0, labels, 0, n);
        labels[n] = ByteLabels.IGNORE_INDEX;
        try (NDScope scope = new NDScope()) { // frees the intermediates, which live on the logits' manager
            NDArray l = logits.getManager().create(labels, new Shape(1, n + 1));
            return BitsPerByte.byteLogprobs(logits, l).get(new NDIndex("0, :{}", n)).toFloatArray();
        }
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
