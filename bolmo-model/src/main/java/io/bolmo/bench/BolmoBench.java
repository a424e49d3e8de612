package io.bolmo.bench;

import io.bolmo.engine.Engine;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * Times one Bolmo at batch 1 on any engine: optionally a whole-sequence pass over the prompt ({@link Engine#score}),
 * the prompt's prefill ({@link Engine#prefill}, with its patch count), then a greedy generation after the prompt's
 * first {@code decodePrompt} bytes: {@code decodeBytes} bytes, EOS ignored so the count is exact. A short warm-up
 * generation runs first so one-off costs (JIT, first native calls, allocator growth) are not charged.
 */
public final class BolmoBench {

    private static final int WARM_UP_BYTES = 16;

    /** What was measured; times in seconds ({@code forwardSeconds} NaN when not run). */
    public record Result(int promptBytes, double forwardSeconds, double prefillSeconds, long prefillPatches,
            int decodedBytes, double decodeSeconds, int patches, String text, ProcessMemory afterDecode) {

        public double prefillBytesPerSecond() {
            return promptBytes / prefillSeconds;
        }

        public double decodeBytesPerSecond() {
            return decodedBytes / decodeSeconds;
        }

        /** Bytes per global step during decoding (the forced decision on the last prompt byte included). */
        public double bytesPerPatch() {
            return patches == 0 ? decodedBytes : decodedBytes / (double) patches;
        }
    }

    private BolmoBench() {}

    public static Result run(Engine engine, SubwordSuffixTrie trie, String prompt, int decodePrompt, int decodeBytes,
            double boundaryBias, boolean forward) {
        ByteTokenizer tokenizer = ByteTokenizer.plain();
        BolmoGenerator generator = new BolmoGenerator(engine, trie);
        int[] ids = tokenizer.encode(prompt);
        int[] rows = SubwordSuffixTrie.embeddingRows(trie, ids);
        // 16 bytes: enough batch-1 steps that the decode kernels run compiled (4 left the first timed bytes of a
        // 1B q8_0 decode in the JIT's hands: 21 B/s over 64 timed bytes against 26 B/s over 160)
        generator.generate(tokenizer.encode(prompt.substring(0, Math.min(32, prompt.length()))),
                GenerationOptions.builder().maxNewBytes(WARM_UP_BYTES).stopAtEos(false).build(), GenerationListener.NONE);
        double forwardSeconds = Double.NaN;
        if (forward) {
            long t0 = System.nanoTime();
            engine.score(ids, rows);
            forwardSeconds = (System.nanoTime() - t0) / 1e9;
        }
        long t0 = System.nanoTime();
        long prefillPatches;
        try (Engine.Sequence s = engine.prefill(ids, rows, () -> false)) {
            prefillPatches = s.patches();
        }
        double prefill = (System.nanoTime() - t0) / 1e9;
        GenerationResult r = generator.generate(tokenizer.encode(prompt.substring(0, Math.min(decodePrompt,
                prompt.length()))), GenerationOptions.builder().maxNewBytes(decodeBytes).stopAtEos(false)
                .boundaryBias(boundaryBias).build(), GenerationListener.NONE);
        return new Result(ids.length - 1, forwardSeconds, prefill, prefillPatches, r.generatedUnits(),
                r.decodeNanos() / 1e9, r.patches(), r.text(), ProcessMemory.now());
    }

    /** Seconds from the prompt to the first decoded byte (prefill, forced decision, one step). */
    static double firstByteSeconds(Engine engine, SubwordSuffixTrie trie, String prompt) {
        int[] ids = ByteTokenizer.plain().encode(prompt);
        long t0 = System.nanoTime();
        new BolmoGenerator(engine, trie).generate(ids, GenerationOptions.builder().maxNewBytes(1).stopAtEos(false)
                .build(), GenerationListener.NONE);
        return (System.nanoTime() - t0) / 1e9;
    }
}
