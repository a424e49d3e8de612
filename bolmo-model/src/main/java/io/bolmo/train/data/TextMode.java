package io.bolmo.train.data;

/** How a {@code .txt} / {@code .txt.gz} file splits into documents (JSONL is always one document per line). */
public enum TextMode {
    /** Every non-blank line is a document. */
    LINES,
    /** The whole file is one document. */
    FILES
}
