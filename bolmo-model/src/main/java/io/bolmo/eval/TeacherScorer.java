package io.bolmo.eval;

import io.bolmo.engine.Engine;
import io.bolmo.engine.Scores;
import io.bolmo.tokenize.SubwordEncoder;
import java.util.Arrays;

/**
 * Token log-likelihoods of the subword teacher ({@link Engine#score}). Every sequence starts with EOS, as each
 * document followed an EOS in the packed pretraining stream ({@code TokenWindows}: doc EOS doc EOS …).
 */
public final class TeacherScorer implements LikelihoodScorer {

    private final Engine engine;
    private final SubwordEncoder encoder;
    private final int eos;

    /** @param vocabSize the teacher's {@code vocab_size}, which {@code eos} must be below */
    public TeacherScorer(Engine engine, int vocabSize, SubwordEncoder encoder, int eos) {
        if (eos < 0 || eos >= vocabSize) {
            throw new IllegalArgumentException("teacher EOS id " + eos + " is outside its vocabulary of " + vocabSize);
        }
        this.engine = engine;
        this.encoder = encoder;
        this.eos = eos;
    }

    /** ln P(token i | EOS, tokens &lt; i) for every token of {@code tokens}, log-softmax in double precision. */
    public float[] score(int[] tokens) {
        int n = tokens.length;
        if (n == 0) {
            return new float[0];
        }
        int[] input = new int[n];
        input[0] = eos;
        System.arraycopy(tokens, 0, input, 1, n - 1); // the last token is only predicted, never read
        Scores s = engine.score(input, null);
        float[] out = new float[n];
        for (int t = 0; t < n; t++) {
            float[] row = Arrays.copyOfRange(s.logits(), t * s.vocab(), (t + 1) * s.vocab());
            out[t] = (float) (row[tokens[t]] - BolmoScorer.logSumExp(row));
        }
        return out;
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
