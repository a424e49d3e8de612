package io.bolmo.engine.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import java.util.function.Function;

/** Loading models onto DJL/PyTorch: devices as PyTorch sees them, weights as float32 on the chosen device. */
public final class DjlEngines {

    private DjlEngines() {}

    /** GPUs visible to PyTorch (loads libtorch; 0 with the CPU-only native library). */
    public static int gpuCount() {
        return Engine.getEngine("PyTorch").getGpuCount();
    }

    /** The DJL device for {@code spec}: {@code auto} is a GPU when PyTorch sees one; a missing GPU is an error. */
    public static Device device(DeviceSpec spec) {
        DeviceSpec d = spec.kind() == DeviceSpec.Kind.CPU ? spec : spec.resolve(gpuCount());
        return d.isGpu() ? Device.gpu(d.index()) : Device.cpu();
    }

    /** The spec of a DJL device. */
    static DeviceSpec spec(Device device) {
        return device.isGpu() ? DeviceSpec.gpu(device.getDeviceId()) : DeviceSpec.CPU;
    }

    /** Bolmo's weights from {@code source} on {@code device}; the engine owns them. */
    public static DjlBolmoEngine bolmo(BolmoConfig config, Weights.Source source, DeviceSpec device, int threads) {
        return load(device, threads, m -> DjlBolmoEngine.owning(BolmoModel.create(config, Weights.from(m, source)), m));
    }

    /** The subword model's weights from {@code source} on {@code device}; the engine owns them. */
    public static DjlOlmoEngine olmo(OlmoConfig config, Weights.Source source, DeviceSpec device, int threads) {
        return load(device, threads, m -> DjlOlmoEngine.owning(OlmoModel.create(config, Weights.from(m, source)), m));
    }

    /** A base manager on {@code device} for {@code engine}, closed when creating the engine fails. */
    private static <E extends DjlEngine> E load(DeviceSpec device, int threads, Function<NDManager, E> engine) {
        NDManager manager = baseManager(device, threads);
        try {
            return engine.apply(manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {@code threads} &gt; 0 sets libtorch's intra-op threads, for the whole process (libtorch has one pool). */
    private static NDManager baseManager(DeviceSpec device, int threads) {
        NDManager manager = NDManager.newBaseManager(device(device), "PyTorch");
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        return manager;
    }
}
