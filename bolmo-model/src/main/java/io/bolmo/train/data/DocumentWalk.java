package io.bolmo.train.data;

/**
 * Where a pass over one split stands: the epoch, the document's index in that epoch's seeded {@link EpochOrder},
 * and a token index inside the document. Shared by the byte-window {@link BatchIterator} and the teacher's token
 * windows, so both resume from a {@link DataCursor} the same way.
 */
public final class DocumentWalk {

    private final DocumentIndex corpus;
    private final PipelineOptions options;
    private long epoch;
    private long position;
    private int token;
    private int[] order;
    private long orderEpoch = -1;

    /** Starts at {@code at}; fails when the split is empty or the cursor lies past the epoch's documents. */
    public DocumentWalk(DocumentIndex corpus, PipelineOptions options, DataCursor at) {
        this.corpus = corpus;
        this.options = options;
        this.epoch = at.epoch();
        this.position = at.document();
        this.token = Math.toIntExact(at.token());
        if (order().length == 0) {
            throw new IllegalArgumentException("the " + options.split() + " split of the corpus has no documents ("
                    + corpus.documentCount() + " documents, heldOutEvery " + options.heldOutEvery() + ")");
        }
        if (position > order.length || position == order.length && token != 0) {
            throw new IllegalArgumentException("cursor " + at + " is past the " + order.length
                    + " documents of epoch " + epoch + " (another corpus or split?)");
        }
    }

    /** No document left (only a finite pass ends). */
    public boolean exhausted() {
        return position >= order().length;
    }

    /** The corpus index of the current document. */
    public int document() {
        return order()[(int) position];
    }

    /** Changes whenever the current document changes (for caching its tokenization). */
    public long documentKey() {
        return epoch * (long) Integer.MAX_VALUE + position;
    }

    public int token() {
        return token;
    }

    public void token(int t) {
        token = t;
    }

    /** Moves to the next document, and past a finished epoch unless the pass is finite and ends here. */
    public void nextDocument() {
        position++;
        token = 0;
        wrapEpoch();
    }

    /** At the end of an epoch of an endless or multi-epoch pass, moves to the next epoch's first document. */
    public void wrapEpoch() {
        if (position == order().length && (options.epochs() == 0 || epoch + 1 < options.epochs())) {
            epoch++;
            position = 0;
            token = 0;
        }
    }

    /** The cursor of this position after {@code batches} batches. */
    public DataCursor cursor(long batches) {
        return new DataCursor(options.seed(), epoch, position, token, batches);
    }

    private int[] order() {
        if (orderEpoch != epoch) {
            order = EpochOrder.of(corpus, options, epoch);
            orderEpoch = epoch;
        }
        return order;
    }
}
