package io.bolmo.engine;

import java.util.Locale;

/**
 * Which engine runs a model: {@code auto} (the Java engine on a CPU when the Vector API module is present, DJL on a
 * GPU or without the module), {@code java} (the Java Vector API engine, CPU only) or {@code djl} (DJL/PyTorch: CPU or
 * CUDA, float32; also the engine of training and the float32 reference).
 */
public enum EngineKind {
    AUTO, JAVA, DJL;

    static final String ALLOWED = "auto, java, djl";

    /** Parses an engine name (case-insensitive); null is {@code auto}. */
    public static EngineKind parse(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "", "auto" -> AUTO;
            case "java" -> JAVA;
            case "djl" -> DJL;
            default -> throw new IllegalArgumentException("engine = '" + name + "' is invalid; allowed: " + ALLOWED);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
