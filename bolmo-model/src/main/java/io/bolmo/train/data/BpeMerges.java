package io.bolmo.train.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code bpe} kind of model.md §4.5 ({@code compute_bpe_merges}): byte-pair encoding run over one window's
 * <em>subword-id</em> sequence. It repeatedly merges every occurrence (left to right, non-overlapping) of the most
 * frequent adjacent symbol pair into a new symbol; a tie between equally frequent pairs is broken by a random choice
 * seeded from the row ({@link PatchRow#seed}), so the order is deterministic. Each merged occurrence removes one
 * boundary, recorded in order; BPE continues until no mergeable pair is left, so the order can take the row down to
 * one patch per document piece. Pairs never span the BOS patch or a document's EOS ({@link PatchRow#mergeable}).
 */
public final class BpeMerges {

    private BpeMerges() {
    }

    static MergeOrder order(PatchRow row, long seed) {
        int n = row.patches();
        int[] sym = new int[n];
        int[] last = new int[n]; // original index of the last patch in the symbol
        int[] next = new int[n];
        int nextSymbol = 0;
        for (int k = 0; k < n; k++) {
            sym[k] = row.id(k);
            last[k] = k;
            next[k] = k + 1 < n ? k + 1 : -1;
            nextSymbol = Math.max(nextSymbol, row.id(k) + 1);
        }
        SplittableRandom random = new SplittableRandom(row.seed(seed));
        List<Integer> removed = new ArrayList<>();
        while (true) {
            // count the pairs of adjacent symbols that may merge, in order of first occurrence
            Map<Long, Integer> counts = new LinkedHashMap<>();
            int best = 0;
            for (int i = 0; i >= 0 && i < n; i = next[i]) {
                if (next[i] >= 0 && row.mergeable(last[i])) {
                    int c = counts.merge(pair(sym[i], sym[next[i]]), 1, Integer::sum);
                    best = Math.max(best, c);
                }
            }
            if (best == 0) {
                break;
            }
            List<Long> tied = new ArrayList<>();
            for (Map.Entry<Long, Integer> e : counts.entrySet()) {
                if (e.getValue() == best) {
                    tied.add(e.getKey());
                }
            }
            long chosen = tied.get(tied.size() == 1 ? 0 : random.nextInt(tied.size()));
            int merged = nextSymbol++;
            for (int i = 0; i >= 0 && i < n; i = next[i]) {
                int j = next[i];
                if (j >= 0 && row.mergeable(last[i]) && pair(sym[i], sym[j]) == chosen) {
                    removed.add(last[i]);
                    sym[i] = merged;
                    last[i] = last[j];
                    next[i] = next[j];
                }
            }
        }
        return new MergeOrder(removed.stream().mapToInt(Integer::intValue).toArray());
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }
}
