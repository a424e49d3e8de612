package io.bolmo.generate;

import io.bolmo.engine.Engine;
import io.bolmo.tokenize.SubwordSuffixTrie;

/**
 * Byte-level generation with Bolmo exactly as the reference {@code generate} (model.md §8.1): prefill
 * with boundary lookahead, the last prompt byte rolled back and force-decoded, then one byte per step with a
 * global step only after a byte that ends a patch. Stops on EOS (1 or 261), a stop sequence or the byte limit.
 * Thread-safe: every call has its own sequence. Many concurrent calls each read all the weights per byte;
 * {@link BolmoScheduler} decodes them together instead.
 */
public final class BolmoGenerator implements Generator {

    private final Engine engine;
    private final SubwordSuffixTrie trie;

    /** @param trie the retained-subword trie; null for a model without retained subword embeddings */
    public BolmoGenerator(Engine engine, SubwordSuffixTrie trie) {
        this.engine = engine;
        this.trie = trie;
    }

    /** Generates after {@code promptIds} (BOS first, plain byte ids). */
    @Override
    public GenerationResult generate(int[] promptIds, GenerationOptions options, GenerationListener listener) {
        try (Generation g = new Generation(engine, new ByteUnits(trie, options), promptIds, options,
                listener, listener::isCancelled)) {
            return g.runAlone(engine);
        }
    }
}
