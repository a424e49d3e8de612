package io.bolmo;

import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.LoadOptions;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.OlmoGenerator;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A subword Olmo 2 / Olmo 3 model (Bolmo's source model) loaded from a Hugging Face directory ({@code config.json},
 * safetensors, {@code tokenizer.json}), ready to generate on the same terms as {@link Bolmo} (model.md §8.2).
 * Generation is thread-safe; {@link #close()} frees the native memory.
 */
public final class Olmo implements AutoCloseable {

    private final Engine engine;
    private final OlmoConfig config;
    private final HfSubwordEncoder tokenizer;
    private final OlmoGenerator generator;

    private Olmo(Engine engine, OlmoConfig config, HfSubwordEncoder tokenizer, SubwordVocabulary vocab) {
        this.engine = engine;
        this.config = config;
        this.tokenizer = tokenizer;
        this.generator = new OlmoGenerator(engine, config, vocab);
    }

    /** Loads {@code modelDir} with the default {@link LoadOptions} and its own {@code tokenizer.json}. */
    public static Olmo load(Path modelDir) {
        return load(modelDir, LoadOptions.defaults(), null);
    }

    /**
     * @param device        {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} ({@link DeviceSpec#parse})
     * @param tokenizerJson the subword {@code tokenizer.json}; null = {@code modelDir/tokenizer.json}
     */
    public static Olmo load(Path modelDir, String device, Path tokenizerJson) {
        return load(modelDir, LoadOptions.defaults().withDevice(DeviceSpec.parse(device)), tokenizerJson);
    }

    /**
     * @param options       device, weight format, engine and threads, as for {@link Bolmo#load(Path, Bolmo.Options)}
     * @param tokenizerJson the subword {@code tokenizer.json}; null = {@code modelDir/tokenizer.json}
     */
    public static Olmo load(Path modelDir, LoadOptions options, Path tokenizerJson) {
        Path tokenizerFile = tokenizerJson != null ? tokenizerJson : modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("tokenizer = '" + tokenizerFile + "' is not a file");
        }
        SubwordVocabulary vocab = SubwordVocabulary.load(tokenizerFile);
        try (HfCheckpoint checkpoint = HfCheckpoint.open(modelDir)) {
            OlmoConfig config = checkpoint.olmoConfig();
            Engine engine = Engines.olmo(checkpoint, config, options);
            try {
                return new Olmo(engine, config, HfSubwordEncoder.open(tokenizerFile), vocab);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
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
        Integer eos = config.eosTokenId();
        int[] ids = text;
        if (eos != null) {
            ids = new int[text.length + 1];
            ids[0] = eos;
            System.arraycopy(text, 0, ids, 1, text.length);
        }
        return generator.generate(ids, Bolmo.withStop(options, template.stopSequence()), listener);
    }

    /** The model on its engine. */
    public Engine engine() {
        return engine;
    }

    public OlmoConfig config() {
        return config;
    }

    public OlmoGenerator generator() {
        return generator;
    }

    @Override
    public void close() {
        tokenizer.close();
        engine.close();
    }
}
