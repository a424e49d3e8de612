package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.tokenize.SubwordSuffixTrie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One native manager and the golden subword trie for a whole test class; each test loads its model under it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GoldenManagerTest {

    protected NDManager manager;
    protected SubwordSuffixTrie trie;

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        trie = TinyModels.goldenTrie();
    }

    @AfterAll
    void tearDown() {
        manager.close();
    }
}
