package io.bolmo;

import ai.djl.ndarray.NDManager;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.OlmoGenerator;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A subword Olmo 2 / Olmo 3 model (Bolmo's source model) loaded from a Hugging Face directory ({@code config.json},
 * safetensors, {@code tokenizer.json}), ready to generate on the same terms as {@link Bolmo} (spec 8.2). Generation
 * is thread-safe; {@link #close()} frees the native memory.
 */
public final class Olmo implements AutoCloseable {

    private final NDManager manager;
    private final OlmoModel model;
    private final HfSubwordEncoder tokenizer;
    private final OlmoGenerator generator;

    private Olmo(NDManager manager, OlmoModel model, HfSubwordEncoder tokenizer, SubwordVocabulary vocab) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new OlmoGenerator(model, vocab);
    }

    /** Loads {@code modelDir} (GPU when one is visible, else CPU) with its own {@code tokenizer.json}. */
    public static Olmo load(Path modelDir) {
        return load(modelDir, "auto", null);
    }

    /**
     * @param device        as {@link Bolmo#resolveDevice}
     * @param tokenizerJson the subword {@code tokenizer.json}; null = {@code modelDir/tokenizer.json}
     */
    public static Olmo load(Path modelDir, String device, Path tokenizerJson) {
        Path tokenizerFile = tokenizerJson != null ? tokenizerJson : modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("tokenizer = '" + tokenizerFile + "' is not a file");
        }
        NDManager manager = NDManager.newBaseManager(Bolmo.resolveDevice(device), "PyTorch");
        HfSubwordEncoder tokenizer = null;
        try (HfCheckpoint checkpoint = HfCheckpoint.open(modelDir)) {
            SubwordVocabulary vocab = SubwordVocabulary.load(tokenizerFile);
            tokenizer = HfSubwordEncoder.open(tokenizerFile);
            OlmoModel model = OlmoModel.create(checkpoint.olmoConfig(), Weights.from(manager, checkpoint));
            return new Olmo(manager, model, tokenizer, vocab);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
            throw e;
        }
    }

    /** The subword ids of {@code text} (no special tokens). */
    public int[] encode(String text) {
        return tokenizer.encode(text);
    }

    /** Continues {@code prompt} (nothing is added in front). */
    public GenerationResult generate(String prompt, GenerationOptions options, GenerationListener listener) {
        return generator.generate(encode(prompt), options, listener);
    }

    /**
     * Answers the conversation rendered with {@code template}, after the config's EOS when it has one (packed
     * training puts an EOS before every document); stops at the end of the assistant turn or EOS.
     */
    public GenerationResult chat(List<ChatMessage> messages, ChatTemplate template, GenerationOptions options,
            GenerationListener listener) {
        int[] text = encode(template.render(messages));
        Integer eos = model.config().eosTokenId();
        int[] ids = text;
        if (eos != null) {
            ids = new int[text.length + 1];
            ids[0] = eos;
            System.arraycopy(text, 0, ids, 1, text.length);
        }
        return generator.generate(ids, Bolmo.withStop(options, template.stopSequence()), listener);
    }

    public OlmoModel model() {
        return model;
    }

    public OlmoGenerator generator() {
        return generator;
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
        manager.close();
    }
}
