package io.bolmo.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Greedy longest-match segmentation over a subword vocabulary's byte strings: the fallback when only a vocabulary
 * (no {@code tokenizer.json} with merges) is at hand, e.g. the golden tiny models. It is not the BPE segmentation,
 * so boundary targets (model.md §4.3) made with it are approximate; added tokens are never matched.
 */
public final class GreedySubwordEncoder implements SubwordEncoder {

    private final Node root = new Node();
    private final SubwordVocabulary vocab;

    private static final class Node {
        final Map<Integer, Node> next = new HashMap<>();
        int id = -1;
    }

    public GreedySubwordEncoder(SubwordVocabulary vocab) {
        this.vocab = vocab;
        Set<String> added = new HashSet<>(vocab.addedTokens());
        for (int id = 0; id < vocab.size(); id++) {
            String token = vocab.token(id);
            int[] bytes = vocab.byteIds(id);
            if (token == null || bytes == null || bytes.length == 0 || added.contains(token)) {
                continue;
            }
            Node n = root;
            for (int b : bytes) {
                n = n.next.computeIfAbsent(b, k -> new Node());
            }
            if (n.id < 0) {
                n.id = id;
            }
        }
    }

    @Override
    public int[] encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[utf8.length];
        int n = 0;
        int i = 0;
        while (i < utf8.length) {
            Node node = root;
            int best = -1;
            int bestEnd = i;
            for (int j = i; j < utf8.length; j++) {
                node = node.next.get(ByteTokenizer.byteId(utf8[j] & 0xFF));
                if (node == null) {
                    break;
                }
                if (node.id >= 0) {
                    best = node.id;
                    bestEnd = j + 1;
                }
            }
            if (best < 0) {
                throw new IllegalArgumentException(vocab.source() + ": no subword token covers byte 0x"
                        + Integer.toHexString(utf8[i] & 0xFF) + " at offset " + i);
            }
            out[n++] = best;
            i = bestEnd;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
