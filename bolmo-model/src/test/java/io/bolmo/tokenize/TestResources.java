package io.bolmo.tokenize;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

final class TestResources {

    static final Path GOLDEN_VOCAB = path("golden/subword_vocab.json");
    static final Path GOLDEN_SPECIALS = path("golden/subword_special_tokens.json");
    static final Path CL100K = path("tokenizers/cl100k-8192/tokenizer.json");

    private TestResources() {}

    static Path path(String resource) {
        URL url = TestResources.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource missing: " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static SubwordVocabulary goldenVocab() {
        return SubwordVocabulary.fromVocabJson(GOLDEN_VOCAB, GOLDEN_SPECIALS);
    }
}
