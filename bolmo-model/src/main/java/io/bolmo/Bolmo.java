package io.bolmo;

import ai.djl.Device;
import io.bolmo.config.BolmoConfig;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.EngineKind;
import io.bolmo.engine.LoadOptions;
import io.bolmo.engine.WeightFormat;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.Generator;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.tokenize.ToolDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Bolmo model loaded from a Hugging Face directory, ready to generate: the model on its {@link Engine}, its byte
 * tokenizer and the retained-subword trie. This is the entry point for applications; the CLI and the Spring starter
 * use it. Generation is thread-safe (each call has its own decoding state); {@link #close()} frees the memory.
 */
public final class Bolmo implements AutoCloseable {

    /**
     * How to load.
     *
     * @param load      device, weight format, engine and threads ({@link LoadOptions}: the CLI and the starter
     *                  parse their settings into it)
     * @param tokenizer subword vocabulary ({@code tokenizer.json} or vocabulary JSON); null = find it from the
     *                  model directory ({@code tokenizer_config.original_identifier}, then {@code tokenizer.json})
     * @param template  the chat template
     */
    public record Options(LoadOptions load, Path tokenizer, ChatTemplate template) {

        public static Options defaults() {
            return new Options(LoadOptions.defaults(), null, ChatTemplate.OLMO);
        }

        public Options withLoad(LoadOptions l) {
            return new Options(l, tokenizer, template);
        }

        /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} ({@link DeviceSpec#parse}). */
        public Options withDevice(String d) {
            return withLoad(load.withDevice(DeviceSpec.parse(d)));
        }

        /** {@code f32}, {@code bf16}, {@code q8_0} or {@code q4_0} ({@link WeightFormat#parse}). */
        public Options withDtype(String f) {
            return withLoad(load.withDtype(WeightFormat.parse(f)));
        }

        /** {@code auto}, {@code java} or {@code djl} ({@link EngineKind#parse}). */
        public Options withEngine(String e) {
            return withLoad(load.withEngine(EngineKind.parse(e)));
        }

        public Options withTokenizer(Path t) {
            return new Options(load, t, template);
        }

        public Options withTemplate(ChatTemplate t) {
            return new Options(load, tokenizer, t);
        }
    }

    private final Engine engine;
    private final BolmoConfig config;
    private final ByteTokenizer tokenizer;
    private final BolmoGenerator generator;
    private final SubwordSuffixTrie trie;
    private final ChatTemplate template;
    private final Path directory;

    private Bolmo(Engine engine, BolmoConfig config, ByteTokenizer tokenizer, SubwordSuffixTrie trie,
            ChatTemplate template, Path directory) {
        this.engine = engine;
        this.config = config;
        this.tokenizer = tokenizer;
        this.generator = new BolmoGenerator(engine, trie);
        this.trie = trie;
        this.template = template;
        this.directory = directory;
    }

    public static Bolmo load(Path modelDir) {
        return load(modelDir, Options.defaults());
    }

    public static Bolmo load(Path modelDir, Options options) {
        try (HfCheckpoint checkpoint = HfCheckpoint.open(modelDir)) {
            BolmoConfig config = checkpoint.bolmoConfig();
            SubwordVocabulary vocab = null;
            if (config.addExpandedEmbeddings()) {
                vocab = SubwordVocabulary.load(
                        SubwordVocabulary.locate(modelDir, config.subwordVocabulary(), options.tokenizer()));
                if (vocab.size() > config.subwordVocabSize()) {
                    throw new IllegalArgumentException("subword vocabulary " + vocab.source() + " has " + vocab.size()
                            + " ids but the model's subword_vocab_size is " + config.subwordVocabSize());
                }
            }
            ByteTokenizer tokenizer = vocab == null ? ByteTokenizer.plain() : ByteTokenizer.of(vocab);
            SubwordSuffixTrie trie = vocab == null ? null : SubwordSuffixTrie.build(vocab);
            Engine engine = Engines.bolmo(checkpoint, config, options.load());
            return new Bolmo(engine, config, tokenizer, trie, options.template(), modelDir);
        }
    }

    /**
     * The DJL device for a device name ({@link DeviceSpec#parse}); a GPU that is not there is an error, not a
     * fallback. For DJL-only work (training); models load through {@link Options#withDevice}.
     */
    public static Device resolveDevice(String name) {
        return Engines.djlDevice(DeviceSpec.parse(name));
    }

    /** Continues {@code prompt} (a BOS is added in front). */
    public GenerationResult generate(String prompt, GenerationOptions options, GenerationListener listener) {
        return generate(generator, prompt, options, listener);
    }

    /** Answers the conversation with the chat template; stops at the end of the assistant turn or EOS. */
    public GenerationResult chat(List<ChatMessage> messages, GenerationOptions options, GenerationListener listener) {
        return chat(generator, messages, options, listener);
    }

    /** {@link #generate(String, GenerationOptions, GenerationListener)} through {@code via}, e.g. a {@link #scheduler}. */
    public GenerationResult generate(Generator via, String prompt, GenerationOptions options,
            GenerationListener listener) {
        return via.generate(tokenizer.encode(prompt), options, listener);
    }

    /** {@link #chat(List, GenerationOptions, GenerationListener)} through {@code via}, e.g. a {@link #scheduler}. */
    public GenerationResult chat(Generator via, List<ChatMessage> messages, GenerationOptions options,
            GenerationListener listener) {
        return chat(via, messages, List.of(), options, listener);
    }

    /**
     * As {@link #chat(Generator, List, GenerationOptions, GenerationListener)}, with {@code tools} offered in the
     * template's tool format; constrain the reply with {@code ToolCallConstraint} and read its calls with
     * {@code template().tools().parse(text)} (docs/structured-output.md).
     */
    public GenerationResult chat(Generator via, List<ChatMessage> messages, List<ToolDefinition> tools,
            GenerationOptions options, GenerationListener listener) {
        return generate(via, template.render(messages, tools), withStop(options, template.stopSequence()), listener);
    }

    /**
     * {@link #chat(List, GenerationOptions, GenerationListener)} through {@code scheduler}, without waiting: for
     * servers that must not park a thread per request. The future completes once the generation has stopped
     * (finished, cancelled through the listener, or failed).
     */
    public CompletableFuture<GenerationResult> submitChat(BolmoScheduler scheduler, List<ChatMessage> messages,
            GenerationOptions options, GenerationListener listener) {
        return submitChat(scheduler, messages, List.of(), options, listener);
    }

    /**
     * As {@link #submitChat(BolmoScheduler, List, GenerationOptions, GenerationListener)}, with {@code tools} offered
     * in the template's tool format (see {@link #chat(Generator, List, List, GenerationOptions, GenerationListener)}).
     */
    public CompletableFuture<GenerationResult> submitChat(BolmoScheduler scheduler, List<ChatMessage> messages,
            List<ToolDefinition> tools, GenerationOptions options, GenerationListener listener) {
        return scheduler.submit(tokenizer.encode(template.render(messages, tools)),
                withStop(options, template.stopSequence()), listener);
    }

    /** {@code base} plus {@code stop} as a stop sequence (once). */
    static GenerationOptions withStop(GenerationOptions base, String stop) {
        if (base.stop().contains(stop)) {
            return base;
        }
        List<String> stops = new java.util.ArrayList<>(base.stop());
        stops.add(stop);
        return base.mutate().stop(stops).build();
    }

    /**
     * A scheduler that decodes concurrent generations of this model together (continuous batching), for servers;
     * pass it to {@link #chat(Generator, List, GenerationOptions, GenerationListener)}. Close it before this model.
     */
    public BolmoScheduler scheduler(BolmoScheduler.Options options) {
        return new BolmoScheduler(engine, trie, options);
    }

    /** Retained-subword rows of every position of {@code ids} (model.md §2.2), as the model's encoder reads them. */
    public int[] subwordIds(int[] ids) {
        return SubwordSuffixTrie.embeddingRows(trie, ids);
    }

    /** The model on its engine: prefill, batched steps, whole-sequence scores. */
    public Engine engine() {
        return engine;
    }

    public BolmoConfig config() {
        return config;
    }

    public ByteTokenizer tokenizer() {
        return tokenizer;
    }

    public BolmoGenerator generator() {
        return generator;
    }

    public ChatTemplate template() {
        return template;
    }

    public Path directory() {
        return directory;
    }

    /** Where the model runs. */
    public DeviceSpec device() {
        return engine.device();
    }

    public long parameterCount() {
        return engine.parameterCount();
    }

    @Override
    public void close() {
        engine.close();
    }
}
