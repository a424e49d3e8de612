package io.bolmo.train.teacher;

import static io.bolmo.train.InvalidParameterException.check;
import static io.bolmo.train.InvalidParameterException.checkRange;

import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.tokenize.BundledTokenizer;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.train.InvalidParameterException;
import io.bolmo.train.SizeLimits;
import io.bolmo.train.data.DataFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything teacher pretraining ({@link PretrainRun}) needs, for {@code bolmo pretrain-teacher} and the
 * {@code pretrain} job alike: {@link #builder} holds the user-facing parameters with their defaults (the Olmo 3
 * shape d 128, 4 layers, on Lucene's Europarl sample), checks each one by name and resolves the inputs.
 *
 * @param output      checkpoints/, final/ and work/ (the materialised corpus, a copied tokenizer) go here
 * @param corpus      text files (one document per line, or .jsonl); held-out split by content hash
 * @param tokenizer   the subword tokenizer.json (copied into every export)
 * @param init        null: start from random weights of shape {@code config}; else start from this Hugging Face
 *                    teacher's weights and shape (continued pretraining, fine-tuning); a resumed run ignores both
 * @param config      the teacher's shape (used when starting from random weights)
 * @param settings    optimizer, data shape, steps, seed
 * @param evalBatches held-out batches per evaluation (0: all; negative: no evaluation)
 * @param exportDtype weights of the exported model
 * @param device      cpu, gpu or gpu:N
 */
public record PretrainParameters(Path output, List<Path> corpus, Path tokenizer, Path init, OlmoConfig config,
        TeacherSettings settings, int evalBatches, SafetensorsDtype exportDtype, String device) {

    public PretrainParameters {
        Objects.requireNonNull(output, "output");
        check(corpus != null && !corpus.isEmpty(), "corpus", corpus, "at least one file or directory is required");
        Objects.requireNonNull(tokenizer, "tokenizer");
        check(init != null || config != null, "init", null, "a shape (config) or a teacher to start from is needed");
        Objects.requireNonNull(settings, "settings");
        check(exportDtype == SafetensorsDtype.F32 || exportDtype == SafetensorsDtype.BF16
                || exportDtype == SafetensorsDtype.F16, "dtype", exportDtype, "allowed: bf16, f32");
        check(device != null && device.matches("cpu|gpu|gpu:\\d{1,4}"), "device", device,
                "allowed: cpu, gpu, gpu:N");
        corpus = List.copyOf(corpus);
    }

    /** The parameters of a run writing into {@code output}, every one at its default. */
    public static Builder builder(Path output) {
        return new Builder(output);
    }

    /** Parameter name → default, in documentation order (empty: derived, see {@link Builder}). */
    public static Map<String, String> defaults() {
        return new Builder(Path.of("")).values();
    }

    /**
     * The user-facing parameters, named as the job parameters and (with {@code --}) the command-line options. Each
     * setter checks its value and throws an {@link io.bolmo.train.InvalidParameterException} naming it;
     * {@link #build} checks what depends on several and resolves the inputs.
     */
    public static final class Builder {

        private final Path output;
        private List<Path> corpus = List.of();
        private Path tokenizer;
        private Path init;
        private DataFormat format = DataFormat.TEXT;
        private boolean freezeEmbeddings;
        private String chatMarkers = "special";
        private long steps = 1000;
        private int batchSize = 16;
        private int seqLen = 256;
        private double lr = 3e-3;
        private int hidden = 128;
        private int layers = 4;
        private int heads = 4;
        private int window = 64;
        private int intermediate;
        private long seed = 42;
        private int heldOutEvery = 100;
        private int evalBatches = 8;
        private SafetensorsDtype dtype = SafetensorsDtype.BF16;
        private String device = "cpu";

        private Builder(Path output) {
            this.output = output;
        }

        /** Text files or directories; none: the Europarl sample, materialised once under {@code OUTPUT/work}. */
        public Builder corpus(List<Path> paths) {
            this.corpus = List.copyOf(paths);
            return this;
        }

        /** The subword tokenizer.json; null: the init teacher's own, else the bundled cl100k-8192. */
        public Builder tokenizer(Path file) {
            check(file == null || Files.isRegularFile(file), "tokenizer", file,
                    "no such file (expected a tokenizer.json)");
            this.tokenizer = file;
            return this;
        }

        /** A teacher's Hugging Face directory to start from; null: random weights. */
        public Builder init(Path dir) {
            check(dir == null || Files.isRegularFile(dir.resolve(HfCheckpoint.CONFIG_FILE)), "init", dir,
                    "not a Hugging Face model directory (no config.json in it)");
            this.init = dir;
            return this;
        }

        public Builder format(String value) {
            this.format = switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> DataFormat.TEXT;
                case "chat" -> DataFormat.CHAT;
                default -> throw new InvalidParameterException("format", value, "allowed: text, chat");
            };
            return this;
        }

        public Builder freezeEmbeddings(boolean freeze) {
            this.freezeEmbeddings = freeze;
            return this;
        }

        /** {@code special}: the chat markers are the tokenizer's special tokens; {@code text}: plain text. */
        public Builder chatMarkers(String value) {
            check(value.equals("special") || value.equals("text"), "chat-markers", value, "allowed: special, text");
            this.chatMarkers = value;
            return this;
        }

        public Builder steps(long v) {
            checkRange(v, 1, Long.MAX_VALUE, "steps");
            this.steps = v;
            return this;
        }

        public Builder batchSize(long v) {
            checkRange(v, 1, SizeLimits.MAX_BATCH_SIZE, "batch-size");
            this.batchSize = (int) v;
            return this;
        }

        public Builder seqLen(long v) {
            checkRange(v, 2, SizeLimits.MAX_SEQ_LEN, "seq-len");
            this.seqLen = (int) v;
            return this;
        }

        public Builder lr(double v) {
            check(v > 0 && Double.isFinite(v), "lr", v, "must be > 0");
            this.lr = v;
            return this;
        }

        public Builder hidden(long v) {
            checkRange(v, 1, SizeLimits.MAX_WIDTH, "hidden");
            this.hidden = (int) v;
            return this;
        }

        public Builder layers(long v) {
            checkRange(v, 1, SizeLimits.MAX_LAYERS, "layers");
            this.layers = (int) v;
            return this;
        }

        public Builder heads(long v) {
            checkRange(v, 1, SizeLimits.MAX_WIDTH, "heads");
            this.heads = (int) v;
            return this;
        }

        public Builder window(long v) {
            checkRange(v, 1, SizeLimits.MAX_SEQ_LEN, "window");
            this.window = (int) v;
            return this;
        }

        /** SwiGLU width; 0: 4 × hidden. */
        public Builder intermediate(long v) {
            checkRange(v, 0, SizeLimits.MAX_WIDTH, "intermediate");
            this.intermediate = (int) v;
            return this;
        }

        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public Builder heldOutEvery(long v) {
            checkRange(v, 0, Integer.MAX_VALUE, "held-out-every");
            this.heldOutEvery = (int) v;
            return this;
        }

        /** Held-out batches per evaluation; 0: all of them. */
        public Builder evalBatches(long v) {
            checkRange(v, 0, Integer.MAX_VALUE, "eval-batches");
            this.evalBatches = (int) v;
            return this;
        }

        public Builder dtype(String value) {
            this.dtype = switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "bf16" -> SafetensorsDtype.BF16;
                case "f32" -> SafetensorsDtype.F32;
                default -> throw new InvalidParameterException("dtype", value, "allowed: bf16, f32");
            };
            return this;
        }

        public Builder device(String value) {
            check(value.matches("cpu|gpu|gpu:\\d{1,4}"), "device", value, "allowed: cpu, gpu, gpu:N");
            this.device = value;
            return this;
        }

        /**
         * The run's parameters. An empty corpus materialises the Europarl sample under {@code OUTPUT/work}, a
         * missing tokenizer is the init teacher's own or the bundled cl100k-8192 copied there (both once; later
         * builds reuse the files); {@code chat-markers=text} writes a copy whose chat markers are plain text
         * ({@link PlainChatMarkers}).
         */
        public PretrainParameters build() {
            validate();
            TeacherSettings settings = TeacherSettings.recipe(batchSize, seqLen, steps, lr, seed, heldOutEvery,
                    format, freezeEmbeddings);
            OlmoConfig config = TeacherShapes.olmo3(TeacherShapes.VOCAB, hidden,
                    intermediate == 0 ? 4 * hidden : intermediate, layers, heads, window);
            Path work = output.resolve("work");
            List<Path> data = corpus.isEmpty() ? List.of(EuroparlCorpus.materialise(work, 0)) : corpus;
            return new PretrainParameters(output, data, resolveTokenizer(work), init, config, settings, evalBatches,
                    dtype, device);
        }

        /** Checks what depends on several parameters; {@link #build} does too, before it writes anything. */
        public Builder validate() {
            InvalidParameterException.check(hidden % heads == 0 && (hidden / heads) % 2 == 0, "heads", heads,
                    "must divide hidden = " + hidden + " into an even head size");
            InvalidParameterException.check(format != DataFormat.CHAT || !corpus.isEmpty(), "corpus", null,
                    "format=chat needs the conversations (JSONL, e.g. from bolmo make-chat-data)");
            return this;
        }

        private Path resolveTokenizer(Path work) {
            Path t = tokenizer;
            if (t == null) {
                Path own = init == null ? null : init.resolve("tokenizer.json");
                t = own != null && Files.isRegularFile(own) ? own : BundledTokenizer.copyTo(work);
            }
            return chatMarkers.equals("text")
                    ? PlainChatMarkers.write(t, ChatTemplate.OLMO, work.resolve("tokenizer-plain-chat-markers.json"))
                    : t;
        }

        /**
         * Name → value as text, in documentation order (a fresh builder: the defaults, empty where derived); what a
         * run's {@code run.json} records as its parameters.
         */
        public Map<String, String> values() {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("corpus", String.join(",", corpus.stream().map(Path::toString).toList()));
            d.put("tokenizer", tokenizer == null ? "" : tokenizer.toString());
            d.put("init", init == null ? "" : init.toString());
            d.put("format", format.id());
            d.put("freeze-embeddings", String.valueOf(freezeEmbeddings));
            d.put("chat-markers", chatMarkers);
            d.put("steps", String.valueOf(steps));
            d.put("batch-size", String.valueOf(batchSize));
            d.put("seq-len", String.valueOf(seqLen));
            d.put("lr", String.valueOf(lr));
            d.put("hidden", String.valueOf(hidden));
            d.put("layers", String.valueOf(layers));
            d.put("heads", String.valueOf(heads));
            d.put("window", String.valueOf(window));
            d.put("intermediate", String.valueOf(intermediate));
            d.put("seed", String.valueOf(seed));
            d.put("held-out-every", String.valueOf(heldOutEvery));
            d.put("eval-batches", String.valueOf(evalBatches));
            d.put("dtype", dtype.name().toLowerCase(Locale.ROOT));
            d.put("device", device);
            return Collections.unmodifiableMap(d);
        }
    }
}
