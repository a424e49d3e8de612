package io.bolmo.train.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Packs the split's documents, in {@link EpochOrder}, into windows of L bytes / P patches and yields batches of B
 * windows (model.md §6.1 Data; golden-losses data set C). Documents are concatenated inside a window, each closed by
 * its EOS (as the reference's fixed-length instances); a window ends before the first unit that no longer fits, and the
 * document continues in the next window after a fresh BOS ↔ subword-EOS patch. A unit is one token, except that a
 * document's last token and its EOS are one unit, so skip_boundary_before_eos always merges inside one window.
 * Windows flow across epoch boundaries; only a finite pass ({@code epochs > 0}) ends with a partial batch.
 * Documents are tokenized lazily, one at a time; {@link #cursor()} resumes exactly. An example with a loss mask (a
 * chat conversation) is kept whole: it starts a new window when it does not fit the current one, and one that does
 * not fit an empty window is an error naming its file and line.
 */
public final class BatchIterator implements Iterator<TrainingBatch> {

    private final TrainingDocuments documents;
    private final PipelineOptions options;
    private final int eos;
    private final int pad;
    private final DocumentWalk walk;
    private long batches;
    private ByteExample current;
    private long currentKey = -1;

    private BatchIterator(TrainingDocuments documents, PipelineOptions options, DataCursor at) {
        this.documents = documents;
        this.options = options;
        this.eos = documents.vocabulary().eosId();
        this.pad = documents.vocabulary().padId();
        this.walk = new DocumentWalk(documents, options, at);
        this.batches = at.batches();
        normalize();
    }

    /** From the start of epoch 0 under {@code options.seed()}. */
    public static BatchIterator start(TrainingDocuments documents, PipelineOptions options) {
        return new BatchIterator(documents, options, DataCursor.start(options.seed()));
    }

    /** From a saved cursor; the cursor's seed replaces {@code options.seed()}. */
    public static BatchIterator resume(TrainingDocuments documents, PipelineOptions options, DataCursor cursor) {
        return new BatchIterator(documents, options.withSeed(cursor.seed()), cursor);
    }

    /** {@code corpus} encoded on the fly, from the start of epoch 0. */
    public static BatchIterator start(Corpus corpus, DocumentEncoder encoder, PipelineOptions options) {
        return start(TrainingDocuments.encoded(corpus, encoder), options);
    }

    /** {@code corpus} encoded on the fly, from a saved cursor. */
    public static BatchIterator resume(Corpus corpus, DocumentEncoder encoder, PipelineOptions options,
            DataCursor cursor) {
        return resume(TrainingDocuments.encoded(corpus, encoder), options, cursor);
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return walk.cursor(batches);
    }

    @Override
    public boolean hasNext() {
        return !exhausted();
    }

    @Override
    public TrainingBatch next() {
        if (exhausted()) {
            throw new NoSuchElementException("the " + options.split() + " pass is over after " + batches + " batches");
        }
        int b = options.batchSize();
        int[][] ids = new int[b][];
        int[][] lens = new int[b][];
        int[][] teacher = new int[b][];
        int[][] mask = new int[b][];
        boolean masked = false;
        int rows = 0;
        long realBytes = 0;
        long realTokens = 0;
        for (int r = 0; r < b; r++) {
            Window w = new Window(options.seqLen(), options.maxPatches(), eos, pad);
            if (!exhausted()) {
                fill(w);
                rows++;
                realBytes += w.nBytes;
                realTokens += w.nPatches - 1;
            } else {
                w = emptyRow();
            }
            ids[r] = w.bytes;
            lens[r] = w.lens;
            teacher[r] = w.teacher;
            mask[r] = w.lossMask;
            masked |= w.masked;
        }
        batches++;
        return new TrainingBatch(ids, lens, teacher, rows, realBytes, realTokens, cursor(), masked ? mask : null);
    }

    /** A row of pure padding (ids 0, lengths 0, teacher PAD), for the tail of a finite pass. */
    private Window emptyRow() {
        Window w = new Window(options.seqLen(), options.maxPatches(), pad, pad);
        w.bytes[0] = 0;
        w.lens[0] = 0;
        return w;
    }

    private void fill(Window w) {
        while (!exhausted()) {
            ByteExample ex = example();
            if (ex.lossMask() != null && walk.token() == 0 && !w.fits(ex, 1, ex.patches())) {
                if (w.isEmpty()) {
                    throw new CorpusException(documents.describe(walk.document()) + ": the conversation is "
                            + Window.span(ex, 1, ex.patches()) + " bytes / " + (ex.patches() - 1) + " patches, more"
                            + " than a window of " + options.seqLen() + " bytes / " + options.maxPatches()
                            + " patches holds; raise seq-len and max-patches or shorten it");
                }
                return; // a conversation is never split: it opens the next window
            }
            int from = walk.token() + 1; // patch index: patch 0 of the example is its BOS, replaced by the window's own
            int to = from + 1;
            if (to == ex.patches() - 1) {
                to++; // last token travels with its EOS
            }
            if (!w.fits(ex, from, to)) {
                if (w.isEmpty()) {
                    throw new CorpusException(documents.describe(walk.document()) + ": subword token " + walk.token()
                            + " (" + Window.span(ex, from, to) + " bytes with its EOS, if last) does not fit an empty"
                            + " window of " + options.seqLen() + " bytes / " + options.maxPatches() + " patches");
                }
                return;
            }
            w.add(ex, from, to);
            walk.token(to - 1);
            normalize();
        }
    }

    private ByteExample example() {
        if (walk.documentKey() != currentKey) {
            current = documents.example(walk.document());
            currentKey = walk.documentKey();
        }
        return current;
    }

    /** Moves past a finished document and a finished epoch. */
    private void normalize() {
        if (!walk.exhausted() && walk.token() >= example().tokens()) {
            walk.nextDocument();
        }
        walk.wrapEpoch();
    }

    private boolean exhausted() {
        return walk.exhausted();
    }
}
