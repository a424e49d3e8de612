package io.bolmo.train.data;

import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.util.Locale;

/** What a training run's data files hold (Bolmo fine-tunes and teacher runs). */
public enum DataFormat {
    /** Plain text ({@code .txt} lines, {@code .jsonl} {@code text} field): every byte or token is trained. */
    TEXT,
    /** Chat conversations in JSONL ({@code messages}, {@link ChatConversations}): the assistant turns only. */
    CHAT;

    public static DataFormat parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "text" -> TEXT;
            case "chat" -> CHAT;
            default -> throw new IllegalArgumentException("format = '" + value + "' is invalid; allowed: text, chat");
        };
    }

    /** How a {@link Corpus} reads such files: chat lines whole (JSON objects), text lines as documents. */
    public CorpusOptions corpusOptions() {
        return this == CHAT ? CorpusOptions.JSON_OBJECTS : CorpusOptions.DEFAULT;
    }

    /** The encoding of such documents for training: plain text, or a chat rendered with the Olmo template. */
    public DocumentEncoder encoder(SubwordEncoder subwords, SubwordVocabulary vocab) {
        ByteDocumentEncoder text = new ByteDocumentEncoder(subwords, vocab);
        return this == CHAT ? new ChatDocumentEncoder(text, ChatTemplate.OLMO) : text;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
