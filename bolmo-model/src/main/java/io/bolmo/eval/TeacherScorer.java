package io.bolmo.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.NoGrad;
import io.bolmo.nn.OlmoModel;
import io.bolmo.tokenize.SubwordEncoder;

/**
 * Token log-likelihoods of the subword teacher. Every sequence starts with EOS, as each document followed an EOS in
 * the packed pretraining stream ({@code TokenWindows}: doc EOS doc EOS …).
 */
public final class TeacherScorer implements LikelihoodScorer {

    private final OlmoModel model;
    private final SubwordEncoder encoder;
    private final int eos;

    public TeacherScorer(OlmoModel model, SubwordEncoder encoder, int eos) {
        if (eos < 0 || eos >= model.config().vocabSize()) {
            throw new IllegalArgumentException("teacher EOS id " + eos + " is outside its vocabulary of "
                    + model.config().vocabSize());
        }
        this.model = model;
        this.encoder = encoder;
        this.eos = eos;
    }

    /** ln P(token i | EOS, tokens &lt; i) for every token of {@code tokens}. */
    public float[] score(int[] tokens) {
        int n = tokens.length;
        if (n == 0) {
            return new float[0];
        }
        int[] input = new int[n];
        input[0] = eos;
        System.arraycopy(tokens, 0, input, 1, n - 1); // the last token is only predicted, never read
        try (NoGrad g = NoGrad.enter(); NDManager m = model.weights().manager().newSubManager()) {
            try (OlmoModel.Output o = model.forward(m.create(input, new Shape(1, n)), 0, null, false)) {
                NDArray logprobs = o.logits().logSoftmax(2);
                NDArray index = m.create(tokens, new Shape(1, n, 1)).toType(DataType.INT64, false);
                return logprobs.gather(index, 2).get(new NDIndex("0, :, 0")).toFloatArray();
            }
        }
    }

    /**
     * ln P(continuation tokens | EOS + prompt tokens). Prompt and continuation are tokenized separately (as
     * lm-evaluation-harness does), so the continuation's tokens are exactly its own.
     */
    @Override
    public double logLikelihood(String prompt, String continuation) {
        int[] p = encoder.encode(prompt);
        int[] c = encoder.encode(continuation);
        int[] all = new int[p.length + c.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(c, 0, all, p.length, c.length);
        float[] lp = score(all);
        double sum = 0;
        for (int i = p.length; i < all.length; i++) {
            sum += lp[i];
        }
        return sum;
    }
}
