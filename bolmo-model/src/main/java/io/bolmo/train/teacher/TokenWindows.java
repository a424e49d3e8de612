package io.bolmo.train.teacher;

import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.DocumentWalk;
import io.bolmo.train.data.EpochOrder;
import io.bolmo.train.data.PipelineOptions;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Packs the split's documents, in {@link EpochOrder}, into a stream {@code doc₁ EOS doc₂ EOS …} and cuts it into
 * consecutive windows of T + 1 ids (pretraining-style packing: a window may span documents, and a document
 * continues in the next window). Documents are tokenized lazily, one at a time, so {@link #cursor()} (epoch,
 * position in the epoch's order, id inside {@code doc + EOS}) resumes exactly.
 *
 * <p>Uses {@code options.seqLen()} as T + 1 and {@code options.batchSize()} as B; {@code maxPatches} is ignored.
 */
public final class TokenWindows {

    private final Corpus corpus;
    private final TokenDocuments encoder;
    private final PipelineOptions options;
    private final int eos;
    private final int pad;
    private final DocumentWalk walk;
    private long batches;
    private int[] current;
    private int[] currentTrained;
    private long currentKey = -1;

    private TokenWindows(Corpus corpus, TokenDocuments encoder, PipelineOptions options, int eos, int pad,
            DataCursor at) {
        this.corpus = corpus;
        this.encoder = encoder;
        this.options = options;
        this.eos = eos;
        this.pad = pad;
        this.walk = new DocumentWalk(corpus, options, at);
        this.batches = at.batches();
        if (!walk.exhausted() && walk.token() >= document().length) {
            throw new IllegalArgumentException("cursor " + at + " is past the end of document "
                    + corpus.describe(walk.document()) + " (" + document().length + " ids with EOS)");
        }
    }

    /** From the start of epoch 0 under {@code options.seed()}. */
    public static TokenWindows start(Corpus corpus, TokenDocuments encoder, PipelineOptions options, int eos,
            int pad) {
        return new TokenWindows(corpus, encoder, options, eos, pad, DataCursor.start(options.seed()));
    }

    /** From a saved cursor; the cursor's seed replaces {@code options.seed()}. */
    public static TokenWindows resume(Corpus corpus, TokenDocuments encoder, PipelineOptions options, int eos,
            int pad, DataCursor cursor) {
        return new TokenWindows(corpus, encoder, options.withSeed(cursor.seed()), eos, pad, cursor);
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return walk.cursor(batches);
    }

    public boolean hasNext() {
        return !walk.exhausted();
    }

    public TokenBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the " + options.split() + " pass is over after " + batches
                    + " batches");
        }
        int width = options.seqLen();
        int[][] rows = new int[options.batchSize()][];
        int[][] trained = new int[rows.length][];
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new int[width];
            trained[r] = new int[width];
            Arrays.fill(rows[r], pad);
            int filled = 0;
            while (filled < width && hasNext()) {
                int[] doc = document();
                int take = Math.min(width - filled, doc.length - walk.token());
                System.arraycopy(doc, walk.token(), rows[r], filled, take);
                System.arraycopy(currentTrained, walk.token(), trained[r], filled, take);
                filled += take;
                walk.token(walk.token() + take);
                if (walk.token() >= doc.length) {
                    walk.nextDocument();
                }
            }
            lengths[r] = filled;
        }
        batches++;
        return new TokenBatch(rows, trained, lengths, cursor());
    }

    /** The ids of the current document followed by EOS (and, in {@code currentTrained}, which ones are targets). */
    private int[] document() {
        if (walk.documentKey() != currentKey) {
            int doc = walk.document();
            TokenDocuments.Document d = encoder.encode(corpus.text(doc));
            int[] ids = d.ids();
            for (int id : ids) {
                if (id < 0 || id == eos || id == pad) {
                    throw new CorpusException(corpus.describe(doc) + ": the tokenizer produced id " + id
                            + ", which collides with EOS " + eos + " / PAD " + pad);
                }
            }
            current = Arrays.copyOf(ids, ids.length + 1);
            current[ids.length] = eos;
            currentTrained = Arrays.copyOf(d.trained(), ids.length + 1);
            currentTrained[ids.length] = d.eosTrained() ? 1 : 0;
            currentKey = walk.documentKey();
        }
        return current;
    }
}
