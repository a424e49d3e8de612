package io.bolmo.eval;

import io.bolmo.tokenize.SubwordVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a tokenized document into disjoint windows at token boundaries: a window takes tokens while it stays within
 * {@code maxBytes} bytes and {@code maxTokens} tokens (a single longer token still forms a window). Each window is
 * scored from a fresh start (Bolmo: BOS + bytes; teacher: EOS + tokens), so context is cut at the same byte for both
 * models and every byte of the document is scored exactly once.
 */
public final class Chunks {

    private Chunks() {}

    public static List<Chunk> of(int[] tokens, SubwordVocabulary vocab, int maxBytes, int maxTokens) {
        if (maxBytes < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("window sizes must be >= 1: bytes " + maxBytes + ", tokens "
                    + maxTokens);
        }
        List<Chunk> out = new ArrayList<>();
        int start = 0;
        while (start < tokens.length) {
            int end = start;
            int bytes = 0;
            List<int[]> pieces = new ArrayList<>();
            while (end < tokens.length && end - start < maxTokens) {
                int[] b = vocab.byteIds(tokens[end]);
                if (b == null || b.length == 0) {
                    throw new IllegalArgumentException(vocab.source() + ": subword id " + tokens[end]
                            + " has no bytes");
                }
                if (end > start && bytes + b.length > maxBytes) {
                    break;
                }
                pieces.add(b);
                bytes += b.length;
                end++;
            }
            int[] ids = new int[bytes];
            int[] lens = new int[pieces.size()];
            int p = 0;
            for (int k = 0; k < pieces.size(); k++) {
                System.arraycopy(pieces.get(k), 0, ids, p, pieces.get(k).length);
                p += pieces.get(k).length;
                lens[k] = pieces.get(k).length;
            }
            out.add(new Chunk(Arrays.copyOfRange(tokens, start, end), ids, lens));
            start = end;
        }
        return out;
    }
}
