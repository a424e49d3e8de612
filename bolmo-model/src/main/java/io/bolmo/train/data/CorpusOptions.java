package io.bolmo.train.data;

import java.util.Objects;

/**
 * How corpus files are read (model.md §6.1 Data).
 *
 * @param textMode  document granularity of {@code .txt} files
 * @param jsonField the string field holding the text in {@code .jsonl} lines, or {@link #WHOLE_OBJECT}
 */
public record CorpusOptions(TextMode textMode, String jsonField) {

    public static final CorpusOptions DEFAULT = new CorpusOptions(TextMode.LINES, "text");

    /** {@code jsonField} value: a document is the whole JSON object of its line (structured records, e.g. chats). */
    public static final String WHOLE_OBJECT = "*";

    /** JSONL records as documents, each the JSON text of its line's object (chat conversations). */
    public static final CorpusOptions JSON_OBJECTS = new CorpusOptions(TextMode.LINES, WHOLE_OBJECT);

    public CorpusOptions {
        Objects.requireNonNull(textMode, "textMode");
        if (jsonField == null || jsonField.isEmpty()) {
            throw new IllegalArgumentException("jsonField must be a non-empty field name");
        }
    }

    public CorpusOptions withTextMode(TextMode mode) {
        return new CorpusOptions(mode, jsonField);
    }

    public CorpusOptions withJsonField(String field) {
        return new CorpusOptions(textMode, field);
    }
}
