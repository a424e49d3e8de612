package io.bolmo.engine;

/**
 * How to load a model, the one value that {@code Bolmo.load}, {@code Olmo.load}, the CLI ({@code --device},
 * {@code --dtype}, {@code --engine}, {@code --threads}) and the Spring starter share.
 *
 * @param device  where it runs
 * @param dtype   how weights are kept ({@link WeightFormat}); DJL runs f32 only
 * @param engine  which engine ({@link EngineKind}); {@code auto} chooses by device and JVM, see {@link Engines}
 * @param threads compute threads; 0 = the engine's default (all cores). DJL's setting is process-wide.
 */
public record LoadOptions(DeviceSpec device, WeightFormat dtype, EngineKind engine, int threads) {

    public LoadOptions {
        if (device == null || dtype == null || engine == null) {
            throw new IllegalArgumentException("device, dtype and engine must be set (use LoadOptions.defaults())");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads = " + threads + " is invalid: must be >= 0 (0 = all cores)");
        }
    }

    /** auto device, f32, auto engine, default threads. */
    public static LoadOptions defaults() {
        return new LoadOptions(DeviceSpec.AUTO, WeightFormat.F32, EngineKind.AUTO, 0);
    }

    /**
     * From the words a user typed (null = default for each): e.g. {@code parse("cpu", "q8_0", "auto", null)}. Each
     * bad value is an {@link IllegalArgumentException} naming it and what is allowed.
     */
    public static LoadOptions parse(String device, String dtype, String engine, Integer threads) {
        return new LoadOptions(DeviceSpec.parse(device), WeightFormat.parse(dtype), EngineKind.parse(engine),
                threads == null ? 0 : threads);
    }

    public LoadOptions withDevice(DeviceSpec d) {
        return new LoadOptions(d, dtype, engine, threads);
    }

    public LoadOptions withDtype(WeightFormat f) {
        return new LoadOptions(device, f, engine, threads);
    }

    public LoadOptions withEngine(EngineKind e) {
        return new LoadOptions(device, dtype, e, threads);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(device, dtype, engine, t);
    }

    @Override
    public String toString() {
        return "device " + device + ", dtype " + dtype + ", engine " + engine
                + (threads > 0 ? ", " + threads + " threads" : "");
    }
}
