package io.bolmo.train.teacher;

import io.bolmo.tokenize.SubwordVocabulary;
import java.util.HashSet;
import java.util.Set;

/** UTF-8 byte length of every subword id (0 for special tokens), for bits-per-byte. */
public final class TokenBytes {

    private final int[] lengths;

    private TokenBytes(int[] lengths) {
        this.lengths = lengths;
    }

    public static TokenBytes of(SubwordVocabulary vocab) {
        Set<String> specials = new HashSet<>(vocab.addedTokens());
        int[] lengths = new int[vocab.size()];
        for (int id = 0; id < lengths.length; id++) {
            String token = vocab.token(id);
            int[] bytes = vocab.byteIds(id);
            lengths[id] = token == null || bytes == null || specials.contains(token) ? 0 : bytes.length;
        }
        return new TokenBytes(lengths);
    }

    /** Bytes of {@code id}; throws naming the id when the vocabulary does not have it. */
    public int of(int id) {
        if (id < 0 || id >= lengths.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + lengths.length);
        }
        return lengths[id];
    }
}
