package io.bolmo;

import ai.djl.Device;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.EngineChoice;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.djl.DjlEngines;
import io.bolmo.engine.vector.VectorEngines;
import io.bolmo.io.HfCheckpoint;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns {@link LoadOptions} into an {@link Engine}: chooses the engine and device
 * ({@link EngineChoice}: {@code auto} = the Java engine on a CPU with the Vector API module, DJL on a GPU or without
 * it) and loads the weights onto it. The only code outside the engines that names a concrete engine.
 */
public final class Engines {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final AtomicBoolean NOTICE_LOGGED = new AtomicBoolean();

    /** Whether this build contains the Java Vector API engine ({@code io.bolmo.engine.vector}). */
    static final boolean JAVA_ENGINE_BUILT = true;

    private Engines() {}

    /** Bolmo ({@code config}) from an open checkpoint on the engine {@code options} choose. */
    public static Engine bolmo(HfCheckpoint checkpoint, BolmoConfig config, LoadOptions options) {
        EngineChoice c = choose(options);
        return switch (c.engine()) {
            case JAVA -> javaBolmo(checkpoint, config, options);
            default -> DjlEngines.bolmo(config, checkpoint, c.device(), options.threads());
        };
    }

    /** The subword Olmo model ({@code config}) from an open checkpoint on the engine {@code options} choose. */
    public static Engine olmo(HfCheckpoint checkpoint, OlmoConfig config, LoadOptions options) {
        EngineChoice c = choose(options);
        return switch (c.engine()) {
            case JAVA -> javaOlmo(checkpoint, config, options);
            default -> DjlEngines.olmo(config, checkpoint, c.device(), options.threads());
        };
    }

    /** The DJL device of {@code device}, for DJL-only work (training): {@code auto} is a GPU when PyTorch sees one. */
    public static Device djlDevice(DeviceSpec device) {
        return DjlEngines.device(device);
    }

    /** What {@code options} come to here; logs the fallback notice once per JVM. */
    public static EngineChoice choose(LoadOptions options) {
        EngineChoice c = EngineChoice.of(options, EngineChoice.vectorModulePresent(), JAVA_ENGINE_BUILT,
                DjlEngines::gpuCount);
        if (c.notice() != null && NOTICE_LOGGED.compareAndSet(false, true)) {
            LOG.warn(c.notice());
        }
        return c;
    }

    /**
     * The Java engine's Bolmo. The checkpoint is closed when this returns: the engine maps the files itself and the
     * mappings outlive the channels. Only called with the Vector API module present (no class of the engine loads
     * without it).
     */
    private static Engine javaBolmo(HfCheckpoint checkpoint, BolmoConfig config, LoadOptions options) {
        return VectorEngines.bolmo(checkpoint, config, options);
    }

    /** The Java engine's subword model. */
    private static Engine javaOlmo(HfCheckpoint checkpoint, OlmoConfig config, LoadOptions options) {
        return VectorEngines.olmo(checkpoint, config, options);
    }
}
