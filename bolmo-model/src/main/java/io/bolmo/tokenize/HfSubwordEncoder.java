package io.bolmo.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link SubwordEncoder} over a Hugging Face {@code tokenizer.json} via DJL (offline), with no special tokens added
 * and no truncation or padding: the tokenization the source model was trained on. The one way this project opens a
 * Hugging Face tokenizer (training data, the subword model's prompts, evaluation, benchmarks): the training pipeline
 * adds EOS itself and cuts windows at token boundaries (model.md §6.1, §12).
 */
public final class HfSubwordEncoder implements SubwordEncoder, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HfSubwordEncoder(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** @throws UncheckedIOException naming the file when it cannot be read or is not a tokenizer */
    public static HfSubwordEncoder open(Path tokenizerJson) {
        try {
            return new HfSubwordEncoder(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false")));
        } catch (IOException e) {
            throw new UncheckedIOException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
