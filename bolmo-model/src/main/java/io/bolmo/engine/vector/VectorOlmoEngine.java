package io.bolmo.engine.vector;

import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.Scores;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.KvCache;
import io.bolmo.engine.vector.nn.OlmoModel;
import io.bolmo.engine.vector.tensor.Parallel;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The subword Olmo model on the Java engine: the same kernels as Bolmo, so the two compare like for like. */
public final class VectorOlmoEngine implements Engine {

    private final OlmoModel model;
    private final Parallel threads;
    private final WeightFormat format;
    private final Inventory inventory;
    private final int chunk;

    VectorOlmoEngine(OlmoModel model, Parallel threads, WeightFormat format, Inventory inventory, int chunk) {
        this.model = model;
        this.threads = threads;
        this.format = format;
        this.inventory = inventory;
        this.chunk = chunk;
    }

    @Override
    public Sequence prefill(int[] ids, int[] subwordRows, BooleanSupplier cancelled) {
        check(ids);
        KvCache[] caches = model.newState();
        float[] logits = model.run(caches, ids, false, chunk, cancelled)[0];
        return new TokenSequence(caches, logits);
    }

    @Override
    public Batch newBatch() {
        return new TokenBatch();
    }

    @Override
    public Scores score(int[] ids, int[] subwordRows) {
        check(ids);
        float[][] rows = model.run(model.newState(), ids, true, chunk, () -> false);
        int vocab = model.config().vocabSize();
        float[] logits = new float[ids.length * vocab];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(rows[t], 0, logits, t * vocab, vocab);
        }
        return new Scores(ids.length, vocab, logits, new float[0], new boolean[0], 0, new float[0]);
    }

    private void check(int[] ids) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        for (int id : ids) {
            if (id < 0 || id >= model.config().vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                        + model.config().vocabSize());
            }
        }
    }

    @Override
    public long parameterCount() {
        return inventory.parameters();
    }

    public long weightBytes() {
        return inventory.totalBytes();
    }

    /** Bytes in memory of each weight tensor, by Hugging Face name (what a decoding step reads). */
    public java.util.Map<String, Long> weightBytesByName() {
        return inventory.bytesByName();
    }

    public WeightFormat format() {
        return format;
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

    private static final class TokenSequence extends RowBatch.Row {
        final KvCache[] caches;
        private final float[] logits;

        TokenSequence(KvCache[] caches, float[] logits) {
            this.caches = caches;
            this.logits = logits;
        }

        @Override
        public float[] logits() {
            return logits;
        }

        @Override
        public long patches() {
            return caches[0].length();
        }

        @Override
        public boolean[] promptBoundaries() {
            return new boolean[0];
        }

        @Override
        public float[] promptBoundaryLogProbs() {
            return new float[0];
        }
    }

    private final class TokenBatch extends RowBatch<TokenSequence> {
        TokenBatch() {
            super(TokenSequence.class);
        }

        @Override
        float[][] step(List<TokenSequence> advancing, int[] units, int[] subwordRows) {
            check(units);
            KvCache[][] states = new KvCache[advancing.size()][];
            for (int i = 0; i < states.length; i++) {
                states[i] = advancing.get(i).caches;
            }
            return model.step(states, units);
        }
    }
}
