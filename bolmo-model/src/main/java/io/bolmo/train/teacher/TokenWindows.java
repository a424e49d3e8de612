package io.bolmo.train.teacher;

import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.EpochOrder;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.SubwordEncoder;
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
    private final SubwordEncoder encoder;
    private final PipelineOptions options;
    private final int eos;
    private final int pad;
    private long epoch;
    private long position;
    private int token;
    private long batches;
    private int[] order;
    private long orderEpoch = -1;
    private int[] current;
    private long currentKey = -1;

    private TokenWindows(Corpus corpus, SubwordEncoder encoder, PipelineOptions options, int eos, int pad,
            DataCursor at) {
        this.corpus = corpus;
        this.encoder = encoder;
        this.options = options;
        this.eos = eos;
        this.pad = pad;
        this.epoch = at.epoch();
        this.position = at.document();
        this.token = Math.toIntExact(at.token());
        this.batches = at.batches();
        if (order().length == 0) {
            throw new IllegalArgumentException("the " + options.split() + " split of the corpus has no documents ("
                    + corpus.documentCount() + " documents, heldOutEvery " + options.heldOutEvery() + ")");
        }
        if (position > order.length || position == order.length && token != 0) {
            throw new IllegalArgumentException("cursor " + at + " is past the " + order.length
                    + " documents of epoch " + epoch + " (another corpus or split?)");
        }
        if (position < order.length && token >= document().length) {
            throw new IllegalArgumentException("cursor " + at + " is past the end of document "
                    + corpus.describe(order[(int) position]) + " (" + document().length + " ids with EOS)");
        }
    }

    /** From the start of epoch 0 under {@code options.seed()}. */
    public static TokenWindows start(Corpus corpus, SubwordEncoder encoder, PipelineOptions options, int eos,
            int pad) {
        return new TokenWindows(corpus, encoder, options, eos, pad, DataCursor.start(options.seed()));
    }

    /** From a saved cursor; the cursor's seed replaces {@code options.seed()}. */
    public static TokenWindows resume(Corpus corpus, SubwordEncoder encoder, PipelineOptions options, int eos,
            int pad, DataCursor cursor) {
        PipelineOptions o = new PipelineOptions(options.seqLen(), options.maxPatches(), options.batchSize(),
                cursor.seed(), options.shuffle(), options.heldOutEvery(), options.split(), options.epochs());
        return new TokenWindows(corpus, encoder, o, eos, pad, cursor);
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return new DataCursor(options.seed(), epoch, position, token, batches);
    }

    public boolean hasNext() {
        return position < order().length;
    }

    public TokenBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the " + options.split() + " pass is over after " + batches
                    + " batches");
        }
        int width = options.seqLen();
        int[][] rows = new int[options.batchSize()][];
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new int[width];
            Arrays.fill(rows[r], pad);
            int filled = 0;
            while (filled < width && hasNext()) {
                int[] doc = document();
                int take = Math.min(width - filled, doc.length - token);
                System.arraycopy(doc, token, rows[r], filled, take);
                filled += take;
                token += take;
                advance(doc.length);
            }
            lengths[r] = filled;
        }
        batches++;
        return new TokenBatch(rows, lengths, cursor());
    }

    /** Moves past a finished document and, for an endless or multi-epoch pass, a finished epoch. */
    private void advance(int docLength) {
        if (token < docLength) {
            return;
        }
        position++;
        token = 0;
        if (position == order().length && (options.epochs() == 0 || epoch + 1 < options.epochs())) {
            epoch++;
            position = 0;
        }
    }

    /** The ids of the current document followed by EOS. */
    private int[] document() {
        long key = epoch * (long) Integer.MAX_VALUE + position;
        if (key != currentKey) {
            int doc = order()[(int) position];
            int[] ids = encoder.encode(corpus.text(doc));
            for (int id : ids) {
                if (id < 0 || id == eos || id == pad) {
                    throw new CorpusException(corpus.describe(doc) + ": the tokenizer produced id " + id
                            + ", which collides with EOS " + eos + " / PAD " + pad);
                }
            }
            current = Arrays.copyOf(ids, ids.length + 1);
            current[ids.length] = eos;
            currentKey = key;
        }
        return current;
    }

    private int[] order() {
        if (orderEpoch != epoch) {
            order = EpochOrder.of(corpus, options, epoch);
            orderEpoch = epoch;
        }
        return order;
    }
}
