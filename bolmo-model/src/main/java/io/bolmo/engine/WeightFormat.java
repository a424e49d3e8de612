package io.bolmo.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How weights are kept in memory while the model runs: {@code f32}; {@code bf16} (as a Hugging Face BF16 checkpoint
 * stores them); {@code q8_0} (blocks of 32 int8 values with one scale each); {@code q4_0} (blocks of 32 4-bit values
 * with one scale each, for Bolmo-7B on 16 GB machines). DJL runs {@code f32} only; the low-precision formats are the
 * Java engine's.
 */
public enum WeightFormat {
    F32("f32", "float32", "fp32"),
    BF16("bf16", "bfloat16"),
    Q8_0("q8_0", "q8"),
    Q4_0("q4_0", "q4");

    private final String[] names;

    WeightFormat(String... names) {
        this.names = names;
    }

    /** The canonical name: {@code f32}, {@code bf16}, {@code q8_0}, {@code q4_0}. */
    public String id() {
        return names[0];
    }

    /** Parses a format name (case-insensitive; {@code float32}, {@code bfloat16} also accepted); null is f32. */
    public static WeightFormat parse(String name) {
        String n = name == null ? "f32" : name.trim().toLowerCase(Locale.ROOT);
        for (WeightFormat f : values()) {
            if (Arrays.asList(f.names).contains(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("dtype = '" + name + "' is invalid; allowed: " + allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(WeightFormat::id).collect(Collectors.joining(", "));
    }

    /** True for the block formats (q8_0, q4_0): quantized in blocks of 32 along a row. */
    public boolean blocked() {
        return this == Q8_0 || this == Q4_0;
    }

    @Override
    public String toString() {
        return id();
    }
}
