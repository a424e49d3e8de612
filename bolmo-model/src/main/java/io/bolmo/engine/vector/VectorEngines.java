package io.bolmo.engine.vector;

import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.BolmoModel;
import io.bolmo.engine.vector.nn.OlmoModel;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsWriter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry points of the Java engine: a model from a checkpoint directory or with random weights, in a
 * {@link WeightFormat}, on a pool of {@code threads} (0 = one per core). Callers check first that the JVM has the
 * Vector API module ({@link io.bolmo.engine.EngineChoice#vectorModulePresent()}): without it no class of this
 * package can load.
 */
public final class VectorEngines {

    /** Bytes (Bolmo) or tokens (subword model) per prefill chunk: enough rows for the blocked products to run at
     * full speed, few enough that a chunk's activations stay a few MB on 1B shapes. */
    public static final int DEFAULT_PREFILL_CHUNK = 256;

    private static final Logger LOG = LoggerFactory.getLogger(VectorEngines.class);

    private VectorEngines() {}

    /** Bolmo from an open checkpoint; the engine keeps its own mappings, so the checkpoint may be closed after. */
    public static VectorBolmoEngine bolmo(HfCheckpoint checkpoint, BolmoConfig config, LoadOptions options) {
        Parallel threads = pool(options.threads());
        try (CheckpointTensors t = new CheckpointTensors(checkpoint, options.dtype(), threads)) {
            BolmoModel model = new BolmoModel(config, t);
            t.checkAllUsed();
            t.notes().forEach(n -> LOG.info("{}: {}", checkpoint.directory(), n));
            return new VectorBolmoEngine(model, threads, options.dtype(), t.inventory(), DEFAULT_PREFILL_CHUNK);
        } catch (RuntimeException | Error e) {
            threads.close();
            throw e;
        }
    }

    /** The subword model from an open checkpoint. */
    public static VectorOlmoEngine olmo(HfCheckpoint checkpoint, OlmoConfig config, LoadOptions options) {
        Parallel threads = pool(options.threads());
        try (CheckpointTensors t = new CheckpointTensors(checkpoint, options.dtype(), threads)) {
            OlmoModel model = new OlmoModel(config, t);
            t.checkAllUsed();
            return new VectorOlmoEngine(model, threads, options.dtype(), t.inventory(), DEFAULT_PREFILL_CHUNK);
        } catch (RuntimeException | Error e) {
            threads.close();
            throw e;
        }
    }

    /** Bolmo with random weights created directly in {@code format} (benchmarks: a 7B never exists as float32). */
    public static VectorBolmoEngine randomBolmo(BolmoConfig config, WeightFormat format, long seed, int threads) {
        return randomBolmo(config, format, seed, threads, RandomTensors.REFERENCE_INPUT_GATE_BIAS);
    }

    /**
     * As {@link #randomBolmo(BolmoConfig, WeightFormat, long, int)} with the mLSTM input-gate bias set to
     * {@code inputGateBias} instead of the reference's −10 (at −10 every head's output is nearly ±v, its sign set
     * by a q·k close to 0, so rounding the weights flips next bytes that a trained model would not flip; the
     * format comparisons of docs/benchmarks.md give both).
     */
    public static VectorBolmoEngine randomBolmo(BolmoConfig config, WeightFormat format, long seed, int threads,
            float inputGateBias) {
        Parallel pool = pool(threads);
        try {
            RandomTensors t = new RandomTensors(seed, format, pool, inputGateBias);
            BolmoModel model = new BolmoModel(config, t);
            return new VectorBolmoEngine(model, pool, format, t.inventory(), DEFAULT_PREFILL_CHUNK);
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** The subword model with random weights in {@code format}. */
    public static VectorOlmoEngine randomOlmo(OlmoConfig config, WeightFormat format, long seed, int threads) {
        Parallel pool = pool(threads);
        try {
            RandomTensors t = new RandomTensors(seed, format, pool, RandomTensors.REFERENCE_INPUT_GATE_BIAS);
            OlmoModel model = new OlmoModel(config, t);
            return new VectorOlmoEngine(model, pool, format, t.inventory(), DEFAULT_PREFILL_CHUNK);
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Writes a Bolmo with random weights in {@code format} as a Hugging Face directory (config and one safetensors
     * file, tensors as {@link TensorRecorder} stores them), atomically: a checkpoint to load, for benchmarks.
     */
    public static void writeRandomBolmo(Path dir, BolmoConfig config, WeightFormat format, long seed, int threads) {
        try (Parallel pool = pool(threads)) {
            TensorRecorder recorder = new TensorRecorder(new RandomTensors(seed, format, pool,
                    RandomTensors.REFERENCE_INPUT_GATE_BIAS));
            new BolmoModel(config, recorder);
            recorder.write(dir, config.toJson(), SafetensorsWriter.create(), null);
        }
    }

    private static Parallel pool(int threads) {
        return new Parallel(threads > 0 ? threads : Parallel.defaultThreads());
    }
}
