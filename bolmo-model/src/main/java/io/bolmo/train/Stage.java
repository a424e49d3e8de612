package io.bolmo.train;

/** The two stages of byteifying (model.md §6, §7). */
public enum Stage {
    /** Global model frozen; subword-to-byte distillation with teacher forcing. */
    STAGE1,
    /** Everything trainable, end to end on the predictor's own boundaries. */
    STAGE2;

    public static Stage parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "1", "stage1" -> STAGE1;
            case "2", "stage2" -> STAGE2;
            default -> throw new IllegalArgumentException("stage = '" + value + "' is invalid; allowed: 1, 2, stage1, stage2");
        };
    }
}
