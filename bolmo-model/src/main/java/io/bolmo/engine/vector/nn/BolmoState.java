package io.bolmo.engine.vector.nn;

/**
 * The decoding state of one Bolmo sequence (model.md §8.2): the recurrent state of every encoder and decoder mLSTM
 * layer, the global KV caches (in patches), {@code last_value} = RMSNorm_init(g) of the latest completed patch, and the
 * number of patches so far (the RoPE position of the next one). Plain Java arrays: nothing to close.
 */
public final class BolmoState {

    final MLstmState[] encoder;
    final MLstmState[] decoder;
    final KvCache[] caches;
    float[] lastValue;
    int patches;

    BolmoState(MLstmState[] encoder, MLstmState[] decoder, KvCache[] caches, int d) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.caches = caches;
        this.lastValue = new float[d];
    }

    /** Patches completed so far (each one a global step). */
    public int patches() {
        return patches;
    }

    /** Bytes of state: mLSTM states and KV caches. */
    public long bytes() {
        long floats = lastValue.length;
        for (MLstmState s : encoder) {
            floats += s.size();
        }
        for (MLstmState s : decoder) {
            floats += s.size();
        }
        long kv = 0;
        for (KvCache c : caches) {
            kv += c.bytes();
        }
        return floats * Float.BYTES + kv;
    }
}
