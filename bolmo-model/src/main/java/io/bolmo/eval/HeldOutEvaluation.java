package io.bolmo.eval;

import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.List;

/**
 * Bits per byte of Bolmo and its teacher on the same bytes, and the predictor's boundaries against the subword
 * tokenizer's (spec 5.5, 4.3). Each document is tokenized once by the subword tokenizer; its tokens give the
 * teacher's input, the byte stream (token bytes = the UTF-8 text) and the targets β*; {@link Chunks} cuts windows.
 * Both models score every byte exactly once: Bolmo −Σ log₂ P(byte) over the window's bytes after BOS (the EOS that
 * would follow the document is not scored), the teacher −Σ log₂ P(token) after EOS (no closing EOS either), both
 * divided by the same byte count.
 */
public final class HeldOutEvaluation {

    private static final double LN2 = Math.log(2);

    private final SubwordEncoder encoder;
    private final SubwordVocabulary vocab;
    private final int maxBytes;
    private final int maxTokens;

    public HeldOutEvaluation(SubwordEncoder encoder, SubwordVocabulary vocab, int maxBytes, int maxTokens) {
        this.encoder = encoder;
        this.vocab = vocab;
        this.maxBytes = maxBytes;
        this.maxTokens = maxTokens;
    }

    /** @param teacher null to evaluate Bolmo alone */
    public HeldOutResult run(List<String> documents, BolmoScorer bolmo, TeacherScorer teacher) {
        long bytes = 0;
        long tokens = 0;
        int windows = 0;
        double bolmoNats = 0;
        double teacherNats = 0;
        BoundaryTally tally = new BoundaryTally();
        for (String doc : documents) {
            for (Chunk c : Chunks.of(encoder.encode(doc), vocab, maxBytes, maxTokens)) {
                ByteScores s = bolmo.score(c.byteIds());
                for (float lp : s.logprobs()) {
                    bolmoNats -= lp;
                }
                tally.add(s.predicted(), BoundaryTally.targets(c.tokenLengths()));
                if (teacher != null) {
                    for (float lp : teacher.score(c.tokens())) {
                        teacherNats -= lp;
                    }
                }
                bytes += c.bytes();
                tokens += c.tokens().length;
                windows++;
            }
        }
        if (bytes == 0) {
            throw new IllegalArgumentException("no held-out bytes to evaluate (" + documents.size() + " documents)");
        }
        return new HeldOutResult(documents.size(), windows, bytes, tokens, bolmoNats / LN2,
                teacher == null ? Double.NaN : teacherNats / LN2, tally.metrics(), tally.size());
    }
}
