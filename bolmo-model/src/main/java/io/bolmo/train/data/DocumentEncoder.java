package io.bolmo.train.data;

import io.bolmo.tokenize.SubwordVocabulary;

/**
 * A corpus document's text to its {@link ByteExample}: plain text ({@link ByteDocumentEncoder}) or a chat
 * conversation ({@link ChatDocumentEncoder}, whose examples carry a loss mask).
 */
public interface DocumentEncoder {

    ByteExample encode(String text);

    /** The subword vocabulary of the boundaries (its EOS and PAD fill the windows). */
    SubwordVocabulary vocabulary();
}
