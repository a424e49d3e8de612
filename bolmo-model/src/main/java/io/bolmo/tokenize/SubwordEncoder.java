package io.bolmo.tokenize;

/** Text to subword ids without special tokens (model.md §6.1: the teacher's tokenization of a document). */
@FunctionalInterface
public interface SubwordEncoder {

    int[] encode(String text);
}
