package io.bolmo.train.data;

import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Path;
import java.util.List;

/**
 * The documents a training run reads, each as its {@link ByteExample}: a corpus encoded on the fly, or the shards
 * the {@code prepare} job wrote from it ({@link PreparedShards}). Both give the same examples under the same index,
 * so a run yields the same batches, and the same weights, from either.
 */
public interface TrainingDocuments extends DocumentIndex, AutoCloseable {

    /** The byte form of document {@code doc}. */
    ByteExample example(int doc);

    /** The subword vocabulary of the boundaries (its EOS and PAD fill the windows). */
    SubwordVocabulary vocabulary();

    @Override
    void close();

    /**
     * {@code paths} as a run's data: a directory of {@link PreparedShards} (it must be the only path; its tokenizer
     * and format must be the run's), otherwise corpus files and directories encoded by {@code encoder} (chat
     * conversations are checked line by line first, so an error names its file and line).
     *
     * @param encoder       null to read the index only (counts and the split, for checks before a run)
     * @param tokenizerFile the run's {@code tokenizer.json}, which prepared shards must have been made with
     */
    static TrainingDocuments open(List<Path> paths, DataFormat format, DocumentEncoder encoder, Path tokenizerFile) {
        for (Path p : paths) {
            if (PreparedShards.isShardDirectory(p)) {
                if (paths.size() > 1) {
                    throw new CorpusException(p + " holds prepared shards; they must be the only data path, not one"
                            + " of " + paths);
                }
                return PreparedShards.open(p, format, encoder == null ? null : encoder.vocabulary(), tokenizerFile);
            }
        }
        Corpus corpus = Corpus.open(paths, format.corpusOptions());
        try {
            if (format == DataFormat.CHAT) {
                ChatConversations.validate(corpus);
            }
        } catch (RuntimeException e) {
            corpus.close();
            throw e;
        }
        return encoded(corpus, encoder);
    }

    /** {@code corpus} encoded on the fly; closing the result closes the corpus. */
    static TrainingDocuments encoded(Corpus corpus, DocumentEncoder encoder) {
        return new TrainingDocuments() {
            @Override
            public ByteExample example(int doc) {
                if (encoder == null) {
                    throw new IllegalStateException("opened for its index only, without an encoder");
                }
                return encoder.encode(corpus.text(doc));
            }

            @Override
            public SubwordVocabulary vocabulary() {
                return encoder == null ? null : encoder.vocabulary();
            }

            @Override
            public int documentCount() {
                return corpus.documentCount();
            }

            @Override
            public int fileCount() {
                return corpus.fileCount();
            }

            @Override
            public int fileStart(int f) {
                return corpus.fileStart(f);
            }

            @Override
            public long hash(int doc) {
                return corpus.hash(doc);
            }

            @Override
            public String describe(int doc) {
                return corpus.describe(doc);
            }

            @Override
            public void close() {
                corpus.close();
            }
        };
    }
}
