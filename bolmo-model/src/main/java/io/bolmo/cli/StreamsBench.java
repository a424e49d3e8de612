package io.bolmo.cli;

import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.KvCache;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordSuffixTrie;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Continuous batching throughput ({@code bolmo bench --streams 1,2,4,8}): for each concurrency S, S greedy
 * generations of different prompts start together on a {@link BolmoScheduler} with S slots, are all prefilled,
 * then decode {@code bytes} bytes each in shared steps (EOS ignored, so every stream lives for the whole window).
 *
 * <p>Aggregate decode bytes/s = S × bytes / (last byte − first decoding step), i.e. the prefills are not charged.
 * Per-stream latency is the time between two consecutive bytes of one stream, over all streams (p50, p95).
 */
final class StreamsBench {

    /** One concurrency level; times in seconds. */
    record Row(int streams, int hold, int bytesPerStream, double decodeSeconds, double[] byteIntervals, long steps,
            long patches) {

        double aggregateBytesPerSecond() {
            return streams * (double) bytesPerStream / decodeSeconds;
        }

        double percentileMillis(double p) {
            double[] sorted = byteIntervals.clone();
            Arrays.sort(sorted);
            return 1e3 * sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
        }

        /** Rows that took a global step, per step (the global model's batch). */
        double globalRowsPerStep() {
            return patches / (double) steps;
        }
    }

    private StreamsBench() {}

    /**
     * Every (hold, streams) pair, {@code repeats} rounds interleaved so that a burst of load on a shared machine
     * does not land on one setting only; the best round of each pair is kept.
     */
    static List<Row> run(BolmoModel model, SubwordSuffixTrie trie, int[] streams, int[] holds, int promptBytes,
            int bytes, double boundaryBias, int repeats, PrintWriter log) {
        GenerationOptions options = GenerationOptions.builder().maxNewBytes(bytes).stopAtEos(false)
                .boundaryBias(boundaryBias).build();
        once(model, trie, 2, 0, promptBytes, GenerationOptions.builder().maxNewBytes(8).stopAtEos(false).build()); // warm-up
        Row[] best = new Row[holds.length * streams.length];
        for (int round = 0; round < repeats; round++) {
            for (int h = 0; h < holds.length; h++) {
                for (int i = 0; i < streams.length; i++) {
                    Row r = once(model, trie, streams[i], holds[h], promptBytes, options);
                    int k = h * streams.length + i;
                    best[k] = best[k] == null || r.aggregateBytesPerSecond() > best[k].aggregateBytesPerSecond() ? r
                            : best[k];
                    log.printf(Locale.ROOT, "bench: round %d, hold %d, %d streams: %.2f B/s aggregate%n", round + 1,
                            holds[h], streams[i], r.aggregateBytesPerSecond());
                    log.flush();
                }
            }
        }
        return List.of(best);
    }

    private static Row once(BolmoModel model, SubwordSuffixTrie trie, int s, int hold, int promptBytes,
            GenerationOptions options) {
        ByteTokenizer tokenizer = ByteTokenizer.plain();
        String text = BenchResources.sampleText(promptBytes + 97 * s);
        long[][] times = new long[s][options.maxNewBytes() + 1]; // [stream, step]: forced decision, then each byte
        try (BolmoScheduler scheduler = new BolmoScheduler(DjlBolmoEngine.over(model), trie, new BolmoScheduler.Options(s, 0, hold))) {
            List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < s; i++) {
                int[] prompt = tokenizer.encode(text.substring(97 * i, 97 * i + promptBytes)); // a different prompt each
                futures.add(scheduler.submit(prompt, options, timer(times[i])));
            }
            long patches = futures.stream().mapToLong(f -> f.join().patches()).sum();
            long start = Arrays.stream(times).mapToLong(t -> t[0]).max().orElseThrow(); // all prefilled
            long end = Arrays.stream(times).mapToLong(t -> t[t.length - 1]).max().orElseThrow();
            return new Row(s, hold, options.maxNewBytes(), (end - start) / 1e9, intervals(times), scheduler.steps(),
                    patches);
        }
    }

    /** Records the time of each of a stream's steps. */
    private static GenerationListener timer(long[] times) {
        return new GenerationListener() {
            private int step;

            @Override
            public void onStep(int fusedId) {
                times[Math.min(step++, times.length - 1)] = System.nanoTime();
            }
        };
    }

    /** Seconds between consecutive generated bytes of each stream (the wait for the other prefills left out). */
    private static double[] intervals(long[][] times) {
        List<Double> out = new ArrayList<>();
        for (long[] t : times) {
            for (int k = 2; k < t.length; k++) {
                out.add((t[k] - t[k - 1]) / 1e9);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Seconds of one global-model step for N rows at once ({@link io.bolmo.nn.GlobalTransformer#step}, each row
     * with its own 8-patch cache), best of 3: what holding boundary rows back to batch the global model would buy.
     */
    static double[] globalStepSeconds(BolmoModel model, int[] rows) {
        double[] out = new double[rows.length];
        long d = model.config().hiddenSize();
        for (int r = 0; r < rows.length; r++) {
            try (NDManager m = model.weights().manager().newSubManager()) {
                List<List<KvCache>> caches = new ArrayList<>();
                for (int i = 0; i < rows[r]; i++) {
                    caches.add(model.global().newCaches(m));
                    model.global().forward(m.randomNormal(new Shape(1, 8, d)), 0, caches.get(i));
                }
                out[r] = Double.MAX_VALUE;
                for (int rep = 0; rep < 3; rep++) {
                    long[] positions = new long[rows[r]];
                    Arrays.fill(positions, 8 + rep);
                    long t0 = System.nanoTime();
                    model.global().step(m.randomNormal(new Shape(rows[r], d)), positions, caches).toFloatArray();
                    out[r] = Math.min(out[r], (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return out;
    }

    static String markdown(List<Row> rows, String setting) {
        StringBuilder sb = new StringBuilder(setting).append("\n\n");
        sb.append("| streams | hold steps | aggregate decode | × first row | per-stream ms/byte p50 | p95 |"
                + " global rows per step | steps |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        double first = rows.get(0).aggregateBytesPerSecond();
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.2f B/s | %.2f | %.1f | %.1f | %.2f | %d |%n",
                    r.streams(), r.hold(), r.aggregateBytesPerSecond(), r.aggregateBytesPerSecond() / first, r.percentileMillis(0.5),
                    r.percentileMillis(0.95), r.globalRowsPerStep(), r.steps()));
        }
        return sb.toString();
    }

    static String globalMarkdown(int[] rows, double[] seconds) {
        StringBuilder sb = new StringBuilder("\n| global rows N | global step | per row |\n|---|---|---|\n");
        for (int i = 0; i < rows.length; i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.1f ms | %.1f ms |%n", rows[i], 1e3 * seconds[i],
                    1e3 * seconds[i] / rows[i]));
        }
        return sb.toString();
    }
}
