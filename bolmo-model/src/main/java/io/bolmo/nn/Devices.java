package io.bolmo.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Device names as users write them ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}), for every loader. */
public final class Devices {

    private Devices() {}

    /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; a GPU that is not there is an error, not a fallback. */
    public static Device resolve(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.matches("gpu:\\d{1,4}")) {
            int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            if (id >= gpus) {
                throw new IllegalArgumentException("device = '" + name + "' is not available: this machine has " + gpus
                        + " GPU(s) visible to PyTorch; use 'cpu' or 'auto'");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device = '" + name + "' is invalid; allowed: auto, cpu, gpu, gpu:N");
    }
}
