package io.bolmo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.BolmoScheduler;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.Generator;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.ChatMessage;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Bolmo model loaded from a Hugging Face directory, ready to generate: the model, its byte tokenizer and the
 * retained-subword trie. This is the entry point for applications; the CLI and the Spring starter use it.
 * Generation is thread-safe (each call has its own decoding state); {@link #close()} frees the native memory.
 */
public final class Bolmo implements AutoCloseable {

    /**
     * How to load.
     *
     * @param device    {@code auto} (GPU when one is visible, else CPU), {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param tokenizer subword vocabulary ({@code tokenizer.json} or vocabulary JSON); null = find it from the
     *                  model directory ({@code tokenizer_config.original_identifier}, then {@code tokenizer.json})
     * @param template  the chat template
     */
    public record Options(String device, Path tokenizer, ChatTemplate template) {

        public static Options defaults() {
            return new Options("auto", null, ChatTemplate.OLMO);
        }

        public Options withDevice(String d) {
            return new Options(d, tokenizer, template);
        }

        public Options withTokenizer(Path t) {
            return new Options(device, t, template);
        }

        public Options withTemplate(ChatTemplate t) {
            return new Options(device, tokenizer, t);
        }
    }

    private final NDManager manager;
    private final BolmoModel model;
    private final ByteTokenizer tokenizer;
    private final BolmoGenerator generator;
    private final SubwordSuffixTrie trie;
    private final ChatTemplate template;
    private final Path directory;

    private Bolmo(NDManager manager, BolmoModel model, ByteTokenizer tokenizer, SubwordSuffixTrie trie,
            ChatTemplate template, Path directory) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new BolmoGenerator(model, trie);
        this.trie = trie;
        this.template = template;
        this.directory = directory;
    }

    public static Bolmo load(Path modelDir) {
        return load(modelDir, Options.defaults());
    }

    public static Bolmo load(Path modelDir, Options options) {
        Device device = resolveDevice(options.device());
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
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
            BolmoModel model = BolmoModel.create(config, Weights.from(manager, checkpoint));
            ByteTokenizer tokenizer = vocab == null ? ByteTokenizer.plain() : ByteTokenizer.of(vocab);
            SubwordSuffixTrie trie = vocab == null ? null : SubwordSuffixTrie.build(vocab);
            return new Bolmo(manager, model, tokenizer, trie, options.template(), modelDir);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; a GPU that is not there is an error, not a fallback. */
    public static Device resolveDevice(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            if (id >= gpus) {
                throw new IllegalArgumentException("device = '" + name + "' is not available: this machine has " + gpus
                        + " GPU(s) visible to PyTorch; use 'cpu' or 'auto'");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device = '" + name + "' is invalid; allowed: auto, cpu, gpu, gpu:N");
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
        return generate(via, template.render(messages), withStop(options, template.stopSequence()), listener);
    }

    /**
     * {@link #chat(List, GenerationOptions, GenerationListener)} through {@code scheduler}, without waiting: for
     * servers that must not park a thread per request. The future completes once the generation has stopped
     * (finished, cancelled through the listener, or failed).
     */
    public CompletableFuture<GenerationResult> submitChat(BolmoScheduler scheduler, List<ChatMessage> messages,
            GenerationOptions options, GenerationListener listener) {
        return scheduler.submit(tokenizer.encode(template.render(messages)),
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
        return new BolmoScheduler(model, trie, options);
    }

    /** Retained-subword rows of every position of {@code ids} (spec 2.2), as the model's encoder reads them. */
    public int[] subwordIds(int[] ids) {
        return SubwordSuffixTrie.embeddingRows(trie, ids);
    }

    public BolmoModel model() {
        return model;
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

    public Device device() {
        return manager.getDevice();
    }

    public long parameterCount() {
        return model.weights().parameterCount();
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
