package io.bolmo.train.data;

import io.bolmo.config.BolmoConfig;
import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;

/**
 * Document text → {@link ByteExample} (model.md §2.1, §4.3, §6.1): subword ids from the teacher tokenizer, each mapped
 * to its byte ids through {@link SubwordVocabulary#byteIds}, so the byte stream equals UTF-8 + 4 and a literal special
 * token in the text stays whatever the subword tokenizer made of it.
 */
public final class ByteDocumentEncoder implements DocumentEncoder {

    private final SubwordEncoder encoder;
    private final SubwordVocabulary vocab;

    public ByteDocumentEncoder(SubwordEncoder encoder, SubwordVocabulary vocab) {
        if (vocab.eosId() < 0 || vocab.padId() < 0) {
            throw new IllegalArgumentException(vocab.source() + ": the subword vocabulary needs an EOS and a PAD id"
                    + " (eos " + vocab.eosId() + ", pad " + vocab.padId() + ")");
        }
        this.encoder = encoder;
        this.vocab = vocab;
    }

    @Override
    public SubwordVocabulary vocabulary() {
        return vocab;
    }

    @Override
    public ByteExample encode(String text) {
        int[] sub = encoder.encode(text);
        int n = sub.length;
        int[] lens = new int[n + 2];
        int[] teacher = new int[n + 2];
        int[][] bytes = new int[n][];
        int total = 2;
        for (int i = 0; i < n; i++) {
            bytes[i] = vocab.byteIds(sub[i]);
            if (bytes[i] == null || bytes[i].length == 0) {
                throw new IllegalArgumentException(vocab.source() + ": subword id " + sub[i] + " has no bytes");
            }
            total += bytes[i].length;
        }
        int[] ids = new int[total];
        int p = 0;
        ids[p++] = BolmoConfig.BOS_ID;
        lens[0] = 1;
        teacher[0] = vocab.eosId();
        for (int i = 0; i < n; i++) {
            System.arraycopy(bytes[i], 0, ids, p, bytes[i].length);
            p += bytes[i].length;
            lens[i + 1] = bytes[i].length;
            teacher[i + 1] = sub[i];
        }
        ids[p] = BolmoConfig.EOS_ID;
        lens[n + 1] = 1;
        teacher[n + 1] = vocab.eosId();
        return new ByteExample(ids, lens, teacher);
    }
}
