package io.bolmo.config;

/** Attention span of one global layer (Hugging Face {@code layer_types} values). */
public enum AttentionType {
    FULL_ATTENTION("full_attention"),
    SLIDING_ATTENTION("sliding_attention");

    private final String hfName;

    AttentionType(String hfName) {
        this.hfName = hfName;
    }

    public String hfName() {
        return hfName;
    }

    static AttentionType parse(String value, JsonFields fields, String field) {
        for (AttentionType t : values()) {
            if (t.hfName.equals(value)) {
                return t;
            }
        }
        throw fields.invalid(field, "\"" + value + "\"", "allowed: \"full_attention\", \"sliding_attention\"");
    }
}
