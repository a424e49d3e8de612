package io.bolmo.bench;

import io.bolmo.engine.EngineKind;
import io.bolmo.engine.WeightFormat;
import java.nio.file.Path;

/**
 * What {@code bolmo bench} measures (the CLI checks each value and names the bad one).
 *
 * @param preset           random-weight shapes: {@code golden}, {@code bolmo-1b} or {@code bolmo-7b} (ignored with a model)
 * @param model            a Bolmo directory instead of a preset (null: the preset)
 * @param globalLayers     keep only this many global layers of the preset (0: all), for quick runs
 * @param engine           {@code java} or {@code djl}
 * @param baseline         also time DJL float32 on the same shapes in the same run (the ratios of issue 17)
 * @param subwordTokens    subword tokens to decode; 0 skips the subword model
 * @param streams          concurrencies of the continuous-batching table (null: not run)
 * @param promptKib        prompt lengths in KiB of the peak-memory table (null: not run)
 * @param loadTest         write the preset as a checkpoint in {@code dtype} and time loading it to the first byte
 * @param agreement        positions of the format-agreement table against f32 (0: not run)
 * @param gateBias         mLSTM input-gate bias of the agreement's random weights (the reference initialises −10)
 */
public record BenchOptions(String preset, Path model, int globalLayers, Path tokenizer, WeightFormat dtype,
        EngineKind engine, int threads, boolean baseline, int prefillBytes, int decodeBytes, int subwordTokens,
        double boundaryBias, int streamMib, long seed, int[] streams, int[] holdSteps, int streamRepeats,
        int streamBytes, int streamPromptBytes, int[] promptKib, boolean loadTest, int agreement, float gateBias) {

    boolean java() {
        return engine == EngineKind.JAVA;
    }
}
