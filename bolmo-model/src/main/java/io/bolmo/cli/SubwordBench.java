package io.bolmo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.KvCache;
import io.bolmo.nn.OlmoModel;
import java.util.List;

/**
 * Greedy decoding of the subword model at batch 1 with a KV cache: a prompt prefill, then one
 * {@code OlmoModel.forward} per token, argmax on the native side. A minimal timing loop, not a generator (no
 * sampling, no stop handling): it measures what one token costs.
 */
final class SubwordBench {

    /** What was measured; times in seconds. */
    record Result(int promptTokens, double prefillSeconds, int tokens, double decodeSeconds, WeightTraffic traffic,
            ProcessMemory afterDecode) {

        double tokensPerSecond() {
            return tokens / decodeSeconds;
        }
    }

    private SubwordBench() {}

    static Result run(OlmoModel model, long[] prompt, int tokens) {
        NDManager parent = model.weights().manager();
        int warmup = 2;
        try (NDManager m = parent.newSubManager()) {
            List<KvCache> caches = model.blocks().newCaches(m);
            long t0 = System.nanoTime();
            long next = step(model, m, prompt, 0, caches);
            double prefill = (System.nanoTime() - t0) / 1e9;
            long pos = prompt.length;
            for (int i = 0; i < warmup; i++) {
                next = step(model, m, new long[] {next}, pos++, caches);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                next = step(model, m, new long[] {next}, pos++, caches);
            }
            double decode = (System.nanoTime() - t1) / 1e9;
            Result r = new Result(prompt.length, prefill, tokens, decode, WeightTraffic.of(model.weights().all()),
                    ProcessMemory.now());
            caches.forEach(KvCache::close);
            return r;
        }
    }

    /** Feeds {@code tokens} at positions {@code start…} and returns the argmax after the last one. */
    private static long step(OlmoModel model, NDManager parent, long[] tokens, long start, List<KvCache> caches) {
        try (NDManager m = parent.newSubManager()) {
            NDArray x = m.create(tokens, new Shape(1, tokens.length));
            try (OlmoModel.Output o = model.forward(x, start, caches, false)) {
                return o.logits().get(new NDIndex(0, -1)).argMax().getLong();
            }
        }
    }
}
