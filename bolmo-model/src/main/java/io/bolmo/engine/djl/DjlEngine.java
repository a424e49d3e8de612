package io.bolmo.engine.djl;

import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.nn.NoGrad;
import io.bolmo.nn.Weights;
import java.util.function.Consumer;

/** What both DJL engines share: the weights they run on, their prefill chunk, and what closing them frees. */
public abstract sealed class DjlEngine implements Engine permits DjlBolmoEngine, DjlOlmoEngine {

    /**
     * Units (bytes, tokens) per prefill chunk by default: long enough that each chunk's matrix products stay
     * efficient (a multiple of the mLSTM's own 64-position chunks), short enough that a chunk's attention over the
     * cache stays small.
     */
    public static final int DEFAULT_PREFILL_CHUNK = 512;

    private final Weights weights;
    private final int chunk;
    private final Runnable release;

    DjlEngine(Weights weights, int chunk, Runnable release) {
        if (chunk < 1) {
            throw new IllegalArgumentException("prefill chunk = " + chunk + " is invalid: must be >= 1");
        }
        this.weights = weights;
        this.chunk = chunk;
        this.release = release;
    }

    /** Prefills {@code seq} with autograd off; the sequence is closed when that fails (cancelled included). */
    static <S extends Sequence> S prefilled(S seq, Consumer<S> prefill) {
        try (NoGrad g = NoGrad.enter()) {
            prefill.accept(seq);
            return seq;
        } catch (RuntimeException | Error e) {
            seq.close();
            throw e;
        }
    }

    /** Units per prefill chunk. */
    public int prefillChunk() {
        return chunk;
    }

    @Override
    public long parameterCount() {
        return weights.parameterCount();
    }

    @Override
    public DeviceSpec device() {
        return DjlEngines.spec(weights.manager().getDevice());
    }

    @Override
    public String describe() {
        return "djl " + weights.manager().getDevice() + " f32";
    }

    @Override
    public void close() {
        release.run();
    }
}
