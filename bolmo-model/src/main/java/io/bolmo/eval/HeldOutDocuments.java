package io.bolmo.eval;

import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out documents of a corpus in corpus order, by the training split's rule (content hash ≡ 0 mod N,
 * {@link Split}). The teacher pretraining holds out N = 100 and byteify N = 1000; as 1000 is a multiple of 100,
 * N = 1000 selects documents neither model trained on.
 */
public final class HeldOutDocuments {

    private HeldOutDocuments() {}

    /** @param max at most this many (all when ≤ 0) */
    public static List<String> of(Corpus corpus, int every, int max) {
        if (every < 1) {
            throw new IllegalArgumentException("held-out-every = " + every + " must be >= 1 (0 holds nothing out)");
        }
        List<String> out = new ArrayList<>();
        for (int d = 0; d < corpus.documentCount() && (max <= 0 || out.size() < max); d++) {
            if (Split.HELD_OUT.contains(corpus.hash(d), every)) {
                out.add(corpus.text(d));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the corpus has no held-out documents (" + corpus.documentCount()
                    + " documents, held-out-every " + every + ")");
        }
        return out;
    }
}
