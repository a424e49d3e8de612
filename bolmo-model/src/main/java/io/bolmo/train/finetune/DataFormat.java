package io.bolmo.train.finetune;

import java.util.Locale;

/** What a fine-tune's data files hold. */
public enum DataFormat {
    /** Plain text ({@code .txt} lines, {@code .jsonl} {@code text} field): the Stage 2 objective on every byte. */
    TEXT,
    /** Chat conversations in JSONL ({@code messages}): the Stage 2 objective on the assistant turns only. */
    CHAT;

    public static DataFormat parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "text" -> TEXT;
            case "chat" -> CHAT;
            default -> throw new IllegalArgumentException("format = '" + value + "' is invalid; allowed: text, chat");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
