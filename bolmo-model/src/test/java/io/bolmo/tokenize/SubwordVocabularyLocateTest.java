package io.bolmo.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubwordVocabularyLocateTest {

    @TempDir
    Path model;

    @Test
    void overrideWinsEvenWhenOthersExist() throws IOException {
        Path tok = Files.copy(TestResources.CL100K, model.resolve("tokenizer.json"));
        assertThat(SubwordVocabulary.locate(model, "tokenizer.json", TestResources.GOLDEN_VOCAB))
                .isEqualTo(TestResources.GOLDEN_VOCAB);
        assertThat(SubwordVocabulary.locate(model, null, TestResources.CL100K.getParent()))
                .isEqualTo(TestResources.CL100K.getParent().resolve("tokenizer.json"));
        assertThat(tok).exists();
    }

    @Test
    void missingOverrideIsAnErrorNotAFallback() throws IOException {
        Files.copy(TestResources.CL100K, model.resolve("tokenizer.json"));
        Path missing = model.resolve("elsewhere.json");
        assertThatThrownBy(() -> SubwordVocabulary.locate(model, null, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void originalIdentifierAsFileOrDirectory() throws IOException {
        Path dir = Files.createDirectories(model.resolve("allenai/dolma2-tokenizer"));
        Path tok = Files.copy(TestResources.CL100K, dir.resolve("tokenizer.json"));
        assertThat(SubwordVocabulary.locate(model, "allenai/dolma2-tokenizer", null)).isEqualTo(tok);
        Path vocab = Files.copy(TestResources.GOLDEN_VOCAB, model.resolve("subword_vocab.json"));
        assertThat(SubwordVocabulary.locate(model, "subword_vocab.json", null)).isEqualTo(vocab);
    }

    @Test
    void modelTokenizerJsonWhenItIsBpe() throws IOException {
        Path tok = Files.copy(TestResources.CL100K, model.resolve("tokenizer.json"));
        assertThat(SubwordVocabulary.locate(model, "allenai/dolma2-tokenizer", null)).isEqualTo(tok);
    }

    @Test
    void errorListsEveryPathTried() throws IOException {
        Files.writeString(model.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {}}}");
        assertThatThrownBy(() -> SubwordVocabulary.locate(model, "allenai/dolma2-tokenizer", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(model.resolve("allenai/dolma2-tokenizer").toString())
                .hasMessageContaining(model.resolve("tokenizer.json").toString())
                .hasMessageContaining("WordLevel")
                .hasMessageContaining("Allowed:");
    }
}
