package io.bolmo.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.nn.BolmoModel;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * Times one Bolmo model at batch 1: a whole-sequence forward over the prompt, then a generation (prefill, then
 * {@code decodeBytes} greedy bytes, EOS ignored so the count is exact). A short warm-up generation runs first so
 * one-off costs (JIT, first native calls, allocator growth) are not charged to the figures.
 */
final class BolmoBench {

    /** What was measured; times in seconds. */
    record Result(int promptBytes, double forwardSeconds, double prefillSeconds, int decodedBytes,
            double decodeSeconds, int patches, WeightTraffic traffic, ProcessMemory afterDecode) {

        double prefillBytesPerSecond() {
            return promptBytes / prefillSeconds;
        }

        double decodeBytesPerSecond() {
            return decodedBytes / decodeSeconds;
        }

        /** Bytes per global step during decoding (the forced decision on the last prompt byte included). */
        double bytesPerPatch() {
            return patches == 0 ? decodedBytes : decodedBytes / (double) patches;
        }
    }

    private BolmoBench() {}

    static Result run(BolmoModel model, SubwordSuffixTrie trie, String prompt, int decodeBytes, double boundaryBias) {
        ByteTokenizer tokenizer = ByteTokenizer.plain();
        BolmoGenerator generator = new BolmoGenerator(DjlBolmoEngine.over(model), trie);
        int[] ids = tokenizer.encode(prompt);
        generator.generate(tokenizer.encode(prompt.substring(0, Math.min(32, prompt.length()))),
                GenerationOptions.builder().maxNewBytes(4).stopAtEos(false).build(), GenerationListener.NONE);
        double forward = timeForward(model, trie, ids);
        GenerationResult r = generator.generate(ids, GenerationOptions.builder().maxNewBytes(decodeBytes)
                .stopAtEos(false).boundaryBias(boundaryBias).build(), GenerationListener.NONE);
        return new Result(ids.length - 1, forward, r.prefillNanos() / 1e9, r.generatedUnits(), r.decodeNanos() / 1e9,
                r.patches(), WeightTraffic.of(model.weights().all()), ProcessMemory.now());
    }

    private static double timeForward(BolmoModel model, SubwordSuffixTrie trie, int[] ids) {
        int[] sub = trie == null ? new int[ids.length] : trie.expand(ids);
        try (NDManager m = model.weights().manager().newSubManager()) {
            Shape row = new Shape(1, ids.length);
            long t0 = System.nanoTime();
            try (BolmoModel.Output o = model.forward(m.create(ids, row), m.create(sub, row))) {
                o.logits().getFloat(0, ids.length - 1, 0); // forces the computation to finish
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
