package io.bolmo.engine.vector;

import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.tensor.Parallel;
import java.util.Map;

/**
 * What both Java engines share: the weight format and inventory (what a step reads), the thread pool of the matrix
 * kernels, the prefill chunk, and what closing frees (the pool; mapped weights go with the checkpoint).
 */
public abstract sealed class VectorEngine implements Engine permits VectorBolmoEngine, VectorOlmoEngine {

    final Parallel threads;
    final WeightFormat format;
    final Inventory inventory;
    final int chunk;

    VectorEngine(Parallel threads, WeightFormat format, Inventory inventory, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("prefill chunk = " + chunk + " is invalid: must be >= 1");
        }
        this.threads = threads;
        this.format = format;
        this.inventory = inventory;
        this.chunk = chunk;
    }

    @Override
    public long parameterCount() {
        return inventory.parameters();
    }

    /** Bytes of weights in memory (mapped or on the heap). */
    public long weightBytes() {
        return inventory.totalBytes();
    }

    /** Bytes in memory of each weight tensor, by Hugging Face name (what a decoding step reads). */
    public Map<String, Long> weightBytesByName() {
        return inventory.bytesByName();
    }

    public WeightFormat format() {
        return format;
    }

    /** Units (bytes, tokens) per prefill chunk. */
    public int prefillChunk() {
        return chunk;
    }

    @Override
    public DeviceSpec device() {
        return DeviceSpec.CPU;
    }

    @Override
    public String describe() {
        return "java cpu " + format + ", " + threads.threads() + " threads";
    }

    @Override
    public void close() {
        threads.close();
    }
}
