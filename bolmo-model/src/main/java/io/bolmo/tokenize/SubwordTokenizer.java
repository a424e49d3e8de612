package io.bolmo.tokenize;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The subword tokenizer of an evaluation (model.md §4.3: it defines the boundary targets, and it is the teacher's
 * input): a Hugging Face {@code tokenizer.json} runs its real BPE through DJL; a bare vocabulary JSON falls back to
 * {@link GreedySubwordEncoder}.
 *
 * @param encoder     text → subword ids
 * @param vocabulary  ids → bytes, EOS
 * @param description what was loaded, for the report
 */
public record SubwordTokenizer(SubwordEncoder encoder, SubwordVocabulary vocabulary, String description)
        implements AutoCloseable {

    /** @param path a {@code tokenizer.json}, a vocabulary JSON, or a directory holding {@code tokenizer.json} */
    public static SubwordTokenizer open(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        SubwordVocabulary vocab = SubwordVocabulary.load(file);
        if (isTokenizerJson(file)) {
            return new SubwordTokenizer(HfSubwordEncoder.open(file), vocab, file + " (BPE)");
        }
        return new SubwordTokenizer(new GreedySubwordEncoder(vocab), vocab,
                file + " (vocabulary only: greedy longest match, not the BPE segmentation)");
    }

    static boolean isTokenizerJson(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject root = JsonParser.parseReader(r).getAsJsonObject();
            return root.has("model") && root.get("model").isJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (encoder instanceof HfSubwordEncoder hf) {
            hf.close();
        }
    }
}
