package io.bolmo.tokenize;

import io.bolmo.config.BolmoConfig;
import java.util.Arrays;

/**
 * Reverse trie over the vocabulary's byte-id sequences and the {@code expand_byte_ids} lookup (model.md
 * §2.2): the expansion of position i is the longest vocabulary entry that is a suffix of the bytes up to i.
 *
 * <p>Edges live in one open-addressing table keyed by (node, symbol), so a 100k vocabulary costs a few MB and no
 * boxing.
 */
public final class SubwordSuffixTrie {

    /** Returned where no entry matches, e.g. for id 2 or a position holding only {@code <bpe_token_end>}. */
    public static final int NO_MATCH = -1;
    private static final int ROOT = 0;
    private static final int SYMBOLS = BolmoConfig.PLAIN_VOCAB;

    private final long[] keys;
    private final int[] children;
    private final int mask;
    private final int[] nodeToken;
    private int nodes = 1;
    private int maxDepth;

    private SubwordSuffixTrie(int capacityNodes) {
        int tableSize = Integer.highestOneBit(Math.max(16, capacityNodes * 2 - 1)) << 1;
        keys = new long[tableSize];
        Arrays.fill(keys, -1L);
        children = new int[tableSize];
        mask = tableSize - 1;
        nodeToken = new int[capacityNodes + 1];
        Arrays.fill(nodeToken, NO_MATCH);
    }

    /** Inserts every entry in vocabulary order; a later entry with the same bytes overwrites the earlier id. */
    public static SubwordSuffixTrie build(SubwordVocabulary vocab) {
        int[][] bytes = vocab.entryBytes();
        int[] ids = vocab.entryIds();
        int total = 1;
        for (int[] b : bytes) {
            total += b.length;
        }
        SubwordSuffixTrie trie = new SubwordSuffixTrie(total);
        for (int i = 0; i < bytes.length; i++) {
            trie.insertReversed(bytes[i], ids[i]);
        }
        return trie;
    }

    private void insertReversed(int[] seq, int id) {
        int node = ROOT;
        for (int k = seq.length - 1; k >= 0; k--) {
            int next = child(node, seq[k]);
            if (next < 0) {
                next = nodes++;
                put(node, seq[k], next);
            }
            node = next;
        }
        nodeToken[node] = id;
        maxDepth = Math.max(maxDepth, seq.length);
    }

    private static long key(int node, int symbol) {
        return (long) node * SYMBOLS + symbol;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private void put(int node, int symbol, int child) {
        long k = key(node, symbol);
        int s = slot(k, mask);
        while (keys[s] != -1L) {
            s = (s + 1) & mask;
        }
        keys[s] = k;
        children[s] = child;
    }

    /** The child of {@code node} along plain id {@code symbol}, or -1. */
    private int child(int node, int symbol) {
        if (symbol < 0 || symbol >= SYMBOLS) {
            return -1;
        }
        long k = key(node, symbol);
        for (int s = slot(k, mask); keys[s] != -1L; s = (s + 1) & mask) {
            if (keys[s] == k) {
                return children[s];
            }
        }
        return -1;
    }

    /** Longest entry length in byte ids: the most any lookup walks back over non-skipped ids. */
    public int maxDepth() {
        return maxDepth;
    }

    /** The expansion of every position of {@code byteIds} (plain or fused ids). */
    public int[] expand(int[] byteIds) {
        int[] out = new int[byteIds.length];
        for (int i = 0; i < byteIds.length; i++) {
            out[i] = expandAt(byteIds, i);
        }
        return out;
    }

    /**
     * Rows of the retained-subword table for every position: the expansion, with {@link #NO_MATCH} read as row 0.
     * Only ids that no text produces (2, padding ids &ge; 520, a lone 3) have no match; the reference would fail
     * there, a model pass simply reads row 0.
     */
    public static int[] embeddingRows(SubwordSuffixTrie trie, int[] byteIds) {
        if (trie == null) {
            return new int[byteIds.length]; // a model without retained subword embeddings ignores them
        }
        int[] rows = trie.expand(byteIds);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = embeddingRow(rows[i]);
        }
        return rows;
    }

    /** One expansion as a table row ({@link #NO_MATCH} → 0). */
    public static int embeddingRow(int expansion) {
        return Math.max(0, expansion);
    }

    /** The expansion of {@code ids[position]} given the ids before it; O(max token length) plus skipped ids. */
    public int expandAt(int[] ids, int position) {
        int node = ROOT;
        int best = NO_MATCH;
        for (int j = position; j >= 0; j--) {
            int id = ids[j];
            if (id == BolmoConfig.BPE_TOKEN_END_ID) {
                continue;
            }
            node = child(node, id >= SYMBOLS ? id - SYMBOLS : id);
            if (node < 0) {
                break;
            }
            if (nodeToken[node] != NO_MATCH) {
                best = nodeToken[node];
            }
        }
        return best;
    }

    /** A generation-time cursor: push one id at a time and get its expansion without keeping the whole history. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Keeps only the last {@link #maxDepth()} non-skipped plain ids, since no lookup can reach further back. */
    public final class Cursor {
        private final int[] ring = new int[Math.max(1, maxDepth)];
        private int count;
        private int head;
        private int last = NO_MATCH;

        private Cursor() {}

        /** Appends {@code id} (plain or fused) and returns its expansion. */
        public int push(int id) {
            if (id == BolmoConfig.BPE_TOKEN_END_ID) {
                // The walk skips it and sees exactly what the previous position saw.
                return last;
            }
            ring[head] = id >= SYMBOLS ? id - SYMBOLS : id;
            head = (head + 1) % ring.length;
            count = Math.min(count + 1, ring.length);
            int node = ROOT;
            int best = NO_MATCH;
            for (int k = 1; k <= count; k++) {
                node = child(node, ring[(head - k + ring.length) % ring.length]);
                if (node < 0) {
                    break;
                }
                if (nodeToken[node] != NO_MATCH) {
                    best = nodeToken[node];
                }
            }
            last = best;
            return best;
        }

        /** Pushes every id and returns their expansions. */
        public int[] pushAll(int[] ids) {
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = push(ids[i]);
            }
            return out;
        }

        /** Forgets all pushed ids, e.g. to start a new sequence. */
        public void reset() {
            count = 0;
            head = 0;
            last = NO_MATCH;
        }
    }
}
