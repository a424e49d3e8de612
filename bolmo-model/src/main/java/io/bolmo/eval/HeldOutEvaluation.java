package io.bolmo.eval;

import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.List;

/**
 * Bits per byte of Bolmo and its teacher on the same bytes, and the predictor's boundaries against the subword
 * tokenizer's (model.md §5.5, §4.3). Each document is tokenized once by the subword tokenizer; its tokens give the
 * teacher's input, the byte stream (token bytes = the UTF-8 text) and the targets β*; {@link Chunks} cuts windows.
 * Both models score every byte exactly once: Bolmo −Σ log₂ P(byte) over the window's bytes after BOS (the EOS that
 * would follow the document is not scored), the teacher −Σ log₂ P(token) after EOS (no closing EOS either), both
 * divided by the same byte count. The log-probabilities are summed exactly ({@link HeldOutSums}), so the result
 * does not depend on how the documents are grouped.
 */
public final class HeldOutEvaluation {

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
        return sums(documents, bolmo, teacher).result();
    }

    /**
     * The exactly additive sums over {@code documents} (possibly none): the same documents split in any way sum to
     * the same totals, so a partitioned evaluation equals {@link #run}.
     *
     * @param teacher null to evaluate Bolmo alone
     */
    public HeldOutSums sums(List<String> documents, BolmoScorer bolmo, TeacherScorer teacher) {
        long bytes = 0;
        long tokens = 0;
        int windows = 0;
        ExactSum bolmoNats = ExactSum.ZERO;
        ExactSum teacherNats = teacher == null ? null : ExactSum.ZERO;
        BoundaryTally tally = new BoundaryTally();
        for (String doc : documents) {
            for (Chunk c : Chunks.of(encoder.encode(doc), vocab, maxBytes, maxTokens)) {
                ByteScores s = bolmo.score(c.byteIds());
                for (float lp : s.logprobs()) {
                    bolmoNats = bolmoNats.plus(-lp);
                }
                tally.add(s.predicted(), BoundaryTally.targets(c.tokenLengths()));
                if (teacher != null) {
                    for (float lp : teacher.score(c.tokens())) {
                        teacherNats = teacherNats.plus(-lp);
                    }
                }
                bytes += c.bytes();
                tokens += c.tokens().length;
                windows++;
            }
        }
        return new HeldOutSums(documents.size(), windows, bytes, tokens, bolmoNats, teacherNats, tally.counts());
    }
}
