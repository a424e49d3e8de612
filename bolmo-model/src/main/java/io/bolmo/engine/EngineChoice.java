package io.bolmo.engine;

import java.util.function.IntSupplier;

/**
 * The engine and device that {@link LoadOptions} come to on this JVM and machine, and what to tell the user about
 * it. {@code auto} means the Java engine on a CPU when the Vector API module is present, DJL on a GPU; without the
 * module {@code auto} falls back to DJL after one log line naming the flag, and an explicit {@code java} fails with
 * that message. DJL runs float32 only (its bfloat16 arrays abort the JVM, docs/perf-notes.md), so a low-precision
 * format on DJL is an error here, not a crash later.
 *
 * @param engine {@link EngineKind#JAVA} or {@link EngineKind#DJL}
 * @param device the concrete device (never {@code auto})
 * @param notice one line to log when {@code auto} did not get what it prefers (null: nothing to say)
 */
public record EngineChoice(EngineKind engine, DeviceSpec device, String notice) {

    /** The JVM flag that enables the Vector API module. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Whether this JVM was started with the Vector API module ({@value #VECTOR_FLAG}). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The choice for {@code options}.
     *
     * @param vectorModule whether the Vector API module is present ({@link #vectorModulePresent()})
     * @param javaBuilt    whether this build contains the Java engine
     * @param gpus         GPUs visible to PyTorch; only asked when the device is {@code auto} or a GPU
     * @throws IllegalArgumentException when the options cannot run here, naming the value and what would
     */
    public static EngineChoice of(LoadOptions options, boolean vectorModule, boolean javaBuilt, IntSupplier gpus) {
        DeviceSpec device = options.device();
        switch (options.engine()) {
            case JAVA -> {
                if (device.isGpu()) {
                    throw new IllegalArgumentException("engine = java runs on the CPU only; device = '" + device
                            + "' needs engine = djl (or auto)");
                }
                String missing = javaMissing(vectorModule, javaBuilt);
                if (missing != null) {
                    throw new IllegalArgumentException("engine = java is not available: " + missing);
                }
                return new EngineChoice(EngineKind.JAVA, DeviceSpec.CPU, null);
            }
            case DJL -> {
                return djl(options, device.kind() == DeviceSpec.Kind.CPU ? DeviceSpec.CPU
                        : device.resolve(gpus.getAsInt()));
            }
            default -> {
                DeviceSpec concrete = device.kind() == DeviceSpec.Kind.CPU ? DeviceSpec.CPU
                        : device.resolve(gpus.getAsInt());
                if (concrete.isGpu()) {
                    return djl(options, concrete);
                }
                String missing = javaMissing(vectorModule, javaBuilt);
                if (missing == null) {
                    return new EngineChoice(EngineKind.JAVA, DeviceSpec.CPU, null);
                }
                if (options.dtype() != WeightFormat.F32) {
                    throw new IllegalArgumentException("dtype = " + options.dtype() + " needs the Java engine (DJL"
                            + " runs f32 only), which is not available: " + missing);
                }
                String notice = vectorModule ? null : "engine = auto: " + missing + "; running on DJL (f32) instead";
                return new EngineChoice(EngineKind.DJL, DeviceSpec.CPU, notice);
            }
        }
    }

    private static EngineChoice djl(LoadOptions options, DeviceSpec device) {
        if (options.dtype() != WeightFormat.F32) {
            throw new IllegalArgumentException("dtype = " + options.dtype() + " is not supported on engine djl: DJL"
                    + " runs f32 only (its bfloat16 arrays abort the JVM); use dtype = f32, or the Java engine (engine"
                    + " = java or auto, on a CPU)");
        }
        return new EngineChoice(EngineKind.DJL, device, null);
    }

    /** Why the Java engine cannot run in this JVM, or null when it can. */
    private static String javaMissing(boolean vectorModule, boolean javaBuilt) {
        if (!javaBuilt) {
            return "the Java engine is not available in this build";
        }
        if (!vectorModule) {
            return "the Java engine needs the JDK's Vector API module, which this JVM was started without: add "
                    + VECTOR_FLAG + " to the java command";
        }
        return null;
    }
}
