package io.bolmo.train.data;

/**
 * The structure of a set of documents that the data order needs (model.md §6.1 Data): documents numbered in file order,
 * the files' ranges, and each document's content hash (the held-out split). A {@link Corpus} and
 * {@link PreparedShards} of it have the same index, so {@link EpochOrder} and the split agree on both.
 */
public interface DocumentIndex {

    int documentCount();

    int fileCount();

    /** Documents of file {@code f} are ids {@code fileStart(f) .. fileStart(f + 1) - 1}. */
    int fileStart(int f);

    /** The document's content hash ({@link DocumentHash}). */
    long hash(int doc);

    /** "file:line" of a document, for error messages. */
    String describe(int doc);
}
