package io.bolmo.eval;

/**
 * One evaluation window of a document, cut at subword-token boundaries so that both models score exactly the same
 * bytes from the same context (model.md §5.5; see {@link Chunks}).
 *
 * @param tokens       the teacher's subword ids of the window (no EOS)
 * @param byteIds      their byte ids (UTF-8 byte + 4, no BOS), concatenated
 * @param tokenLengths bytes of each token (the subword patches, model.md §4.3)
 */
public record Chunk(int[] tokens, int[] byteIds, int[] tokenLengths) {

    public int bytes() {
        return byteIds.length;
    }
}
