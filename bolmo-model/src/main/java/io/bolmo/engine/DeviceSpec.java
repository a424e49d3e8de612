package io.bolmo.engine;

import java.util.Locale;

/**
 * Where a model runs, as a user writes it: {@code auto} (a GPU when PyTorch sees one, else the CPU), {@code cpu},
 * {@code gpu} (= {@code gpu:0}) or {@code gpu:N}. The one parser of device names (CLI, {@link LoadOptions}, the
 * Spring starter, training).
 *
 * @param kind  auto, cpu or gpu
 * @param index the GPU's index (0 unless {@code kind} is GPU)
 */
public record DeviceSpec(Kind kind, int index) {

    public enum Kind { AUTO, CPU, GPU }

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);
    static final String ALLOWED = "auto, cpu, gpu, gpu:N";

    public DeviceSpec {
        if (kind == null || index < 0 || (kind != Kind.GPU && index != 0)) {
            throw new IllegalArgumentException("device " + kind + ":" + index + " is invalid; allowed: " + ALLOWED);
        }
    }

    public static DeviceSpec gpu(int index) {
        return new DeviceSpec(Kind.GPU, index);
    }

    /** Parses a device name; null or blank is {@code auto}. */
    public static DeviceSpec parse(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "", "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
                return gpu(0);
            default:
                if (n.matches("gpu:\\d{1,4}")) {
                    return gpu(Integer.parseInt(n.substring(4)));
                }
                throw new IllegalArgumentException("device = '" + name + "' is invalid; allowed: " + ALLOWED);
        }
    }

    /**
     * {@code auto} made concrete for a machine where PyTorch sees {@code gpus} GPUs; a GPU that is not there is an
     * error, not a fallback.
     */
    public DeviceSpec resolve(int gpus) {
        if (kind == Kind.AUTO) {
            return gpus > 0 ? gpu(0) : CPU;
        }
        if (kind == Kind.GPU && index >= gpus) {
            throw new IllegalArgumentException("device = '" + this + "' is not available: this machine has " + gpus
                    + " GPU(s) visible to PyTorch; use 'cpu' or 'auto'");
        }
        return this;
    }

    public boolean isGpu() {
        return kind == Kind.GPU;
    }

    @Override
    public String toString() {
        return kind == Kind.GPU ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT);
    }
}
