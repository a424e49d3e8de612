package io.bolmo.train.teacher;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.NoGrad;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Scalars;
import io.bolmo.nn.Weights;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.Split;
import io.bolmo.train.optim.AdamW;
import io.bolmo.train.optim.LrSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pretrains (or fine-tunes, {@link #startFrom}) a subword {@link OlmoModel} (the Stage 1 teacher) by next-token
 * cross-entropy, averaged over the trained targets ({@link TokenDocuments}), on packed windows of a corpus: every
 * parameter trainable, AdamW, {@code LinearWithWarmup}, global-norm clipping. Deterministic from the seed; {@link #saveState}/{@link #resume} continue bit-identically (weights in F32, optimizer moments, step and
 * data cursor in one atomically replaced directory). Only one trainer may step at a time per JVM (DJL's gradient
 * collector is global).
 *
 * <p>Weight decay follows Olmo 2/3 (none on the token embedding) and also spares the norm scales: decaying a
 * 1-D gain towards 0 only fights the normalisation it belongs to. The LM head is a matrix like any other and is
 * decayed, as in olmo-core.
 */
public final class SubwordLmTrainer implements AutoCloseable {

    static final String STATE_WEIGHTS = SafetensorsWriter.SINGLE_FILE;
    static final String STATE_OPTIMIZER = "optimizer.state";
    static final String STATE_TRAINER = "trainer.json";
    static final String STATE_SETTINGS = "settings.json";
    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String LM_HEAD = "lm_head.weight";

    private final OlmoModel model;
    private final TeacherSettings settings;
    private final Corpus corpus;
    private final TokenDocuments documents;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final TokenWindows train;

    private SubwordLmTrainer(OlmoModel model, TeacherSettings settings, Corpus corpus, TokenDocuments documents,
            DataCursor cursor) {
        if (model.config().eosTokenId() == null || model.config().padTokenId() == null) {
            model.close();
            throw new IllegalArgumentException("the teacher config needs eos_token_id and pad_token_id: "
                    + model.config().eosTokenId() + ", " + model.config().padTokenId());
        }
        this.model = model;
        this.settings = settings;
        this.corpus = corpus;
        this.documents = documents;
        PipelineOptions o = trainOptions(settings);
        int eos = model.config().eosTokenId();
        int pad = model.config().padTokenId();
        try {
            // the data first: a cursor from another corpus fails here, before optimizer state is allocated
            this.train = cursor == null ? TokenWindows.start(corpus, documents, o, eos, pad)
                    : TokenWindows.resume(corpus, documents, o, eos, pad, cursor);
            model.weights().all().values().forEach(p -> p.setRequiresGradient(true));
            AdamW.Builder adam = AdamW.builder().betas(0.9, 0.95).eps(1e-8).weightDecay(settings.weightDecay())
                    .group("no_decay", 1.0, 0.0, EMBEDDING, "*norm.weight");
            if (settings.freezeEmbeddings()) {
                adam.freeze(EMBEDDING, LM_HEAD);
            }
            this.optimizer = adam.build(model.weights().all());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.schedule = LrSchedule.linearWithWarmup(settings.peakLr(), settings.totalSteps(),
                settings.warmupFraction(), 0.0);
    }

    /** A new model of shape {@code config} initialised by {@link OlmoInit} from {@code settings.seed()}. */
    public static SubwordLmTrainer create(OlmoConfig config, TeacherSettings settings, Corpus corpus,
            TokenDocuments documents, NDManager manager) {
        OlmoModel model = OlmoModel.create(config, Weights.from(manager, new OlmoInit(settings.seed())));
        return new SubwordLmTrainer(model, settings, corpus, documents, null);
    }

    /**
     * A new run that starts from the weights (and shape) of the Hugging Face model in {@code modelDir}: continued
     * pretraining or fine-tuning an existing teacher. The weights are trained in float32 whatever their stored type.
     */
    public static SubwordLmTrainer startFrom(Path modelDir, TeacherSettings settings, Corpus corpus,
            TokenDocuments documents, NDManager manager) {
        return new SubwordLmTrainer(HfCheckpoint.loadOlmo(modelDir, manager), settings, corpus, documents, null);
    }

    /**
     * Continues from a directory written by {@link #saveState}: same weights, optimizer state, step and data
     * position, so the next step is the one the saved run would have taken. The corpus must be the same one.
     */
    public static SubwordLmTrainer resume(Path stateDir, Corpus corpus, TokenDocuments documents,
            NDManager manager) {
        try {
            TeacherSettings settings = TeacherSettings.fromJson(
                    Files.readString(stateDir.resolve(STATE_SETTINGS), StandardCharsets.UTF_8));
            DataCursor cursor = DataCursor.fromJson(
                    Files.readString(stateDir.resolve(STATE_TRAINER), StandardCharsets.UTF_8));
            SubwordLmTrainer t = new SubwordLmTrainer(HfCheckpoint.loadOlmo(stateDir, manager), settings, corpus,
                    documents, cursor);
            try {
                t.optimizer.load(stateDir.resolve(STATE_OPTIMIZER));
            } catch (RuntimeException | IOException e) {
                t.close();
                throw e;
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume teacher training from " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** One optimizer step on the next batch of training windows. */
    public StepResult step() {
        long start = System.nanoTime();
        TokenBatch batch = train.next();
        try (NDScope scope = new NDScope(); NDManager m = model.weights().manager().newSubManager()) {
            NDArray ids = ids(m, batch);
            NDArray inputs = ids.get(new NDIndex(":, :-1"));
            NDArray targets = ids.get(new NDIndex(":, 1:"));
            NDArray trained = trainedTargets(m, batch);
            NDArray loss;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                OlmoModel.Output out = model.forward(inputs, 0, null, false);
                loss = tokenLosses(out.logits(), targets).mul(trained).sum().div(Scalars.maximum(trained.sum(), 1));
                gc.backward(loss);
            }
            double norm = optimizer.clipGradNorm(settings.maxGradNorm());
            if (!Double.isFinite(norm)) {
                optimizer.zeroGrad();
                throw new IllegalStateException("gradient norm " + norm + " at step " + (optimizer.stepCount() + 1)
                        + " (loss " + loss.getFloat() + "): lower the learning rate " + settings.peakLr());
            }
            double lr = schedule.lr(optimizer.stepCount() + 1);
            optimizer.step(lr);
            double value = loss.getFloat();
            long tokens = (long) batch.tokens().length * settings.seqLen();
            return new StepResult(optimizer.stepCount(), value, norm, lr, tokens, (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Held-out loss and bits per byte over at most {@code maxBatches} batches (all held-out windows when ≤ 0), in
     * corpus order, so successive evaluations see the same tokens.
     */
    public HeldOutMetrics evaluate(int maxBatches, TokenBytes tokenBytes) {
        PipelineOptions o = trainOptions(settings).heldOut();
        TokenWindows windows = TokenWindows.start(corpus, documents, o, model.config().eosTokenId(),
                model.config().padTokenId());
        double nats = 0;
        long tokens = 0;
        long bytes = 0;
        try (NoGrad noGrad = NoGrad.enter()) {
            for (int b = 0; windows.hasNext() && (maxBatches <= 0 || b < maxBatches); b++) {
                TokenBatch batch = windows.next();
                try (NDScope scope = new NDScope(); NDManager m = model.weights().manager().newSubManager()) {
                    NDArray ids = ids(m, batch);
                    NDArray targets = ids.get(new NDIndex(":, 1:"));
                    OlmoModel.Output out = model.forward(ids.get(new NDIndex(":, :-1")), 0, null, false);
                    float[] losses = tokenLosses(out.logits(), targets).toFloatArray();
                    int t = settings.seqLen();
                    for (int r = 0; r < batch.tokens().length; r++) {
                        for (int i = 1; i < batch.lengths()[r]; i++) {
                            if (batch.trained()[r][i] == 0) {
                                continue;
                            }
                            nats += losses[r * t + i - 1];
                            bytes += tokenBytes.of(batch.tokens()[r][i]);
                            tokens++;
                        }
                    }
                }
            }
        }
        if (tokens == 0) {
            throw new IllegalStateException("no held-out tokens to evaluate (heldOutEvery "
                    + settings.heldOutEvery() + ")");
        }
        return new HeldOutMetrics(nats / tokens, nats / (Math.log(2) * Math.max(bytes, 1)), tokens, bytes);
    }

    /** Writes weights (F32), optimizer state, settings and data cursor to {@code dir}, replacing it atomically. */
    public void saveState(Path dir) {
        AtomicFiles.replaceDirectory(dir, this::writeState);
    }

    /** The files of {@link #saveState} into {@code dir}, which exists (not atomic by itself). */
    public void writeState(Path dir) throws IOException {
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG_FILE), model.config().toJson(), StandardCharsets.UTF_8);
        SafetensorsWriter.create().writeCheckpoint(dir, model.weights().all());
        optimizer.save(dir.resolve(STATE_OPTIMIZER));
        Files.writeString(dir.resolve(STATE_SETTINGS), settings.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(STATE_TRAINER), train.cursor().toJson(), StandardCharsets.UTF_8);
    }

    /**
     * Writes the model as a Hugging Face directory ({@code config.json}, {@code model.safetensors} in
     * {@code dtype}, a copy of {@code tokenizerJson} named {@code tokenizer.json}) that {@link HfCheckpoint} +
     * {@link OlmoModel#create} load.
     */
    public Path export(Path dir, Path tokenizerJson, SafetensorsDtype dtype) {
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.BF16 && dtype != SafetensorsDtype.F16) {
            throw new IllegalArgumentException("export dtype " + dtype + " is not a float type (F32, BF16, F16)");
        }
        HfCheckpointWriter w = HfCheckpointWriter.to(dir).config(model.config().toJson())
                .weights(model.weights().all())
                .format(SafetensorsWriter.create().floatType(dtype).metadata("format", "pt"));
        if (tokenizerJson != null) {
            w.copy(tokenizerJson, "tokenizer.json"); // where Olmo.load and Bolmo tooling look for it
        }
        return w.write();
    }

    public OlmoModel model() {
        return model;
    }

    public TeacherSettings settings() {
        return settings;
    }

    public long stepCount() {
        return optimizer.stepCount();
    }

    public boolean finished() {
        return optimizer.stepCount() >= settings.totalSteps();
    }

    /** Where the next training batch starts. */
    public DataCursor cursor() {
        return train.cursor();
    }

    /** Frees the optimizer state and the model. */
    @Override
    public void close() {
        optimizer.close();
        model.close();
    }

    /** −log softmax(logits)[target] per position → [B, T]. */
    static NDArray tokenLosses(NDArray logits, NDArray targets) {
        NDArray index = targets.toType(DataType.INT64, false).expandDims(2);
        return logits.logSoftmax(2).gather(index, 2).squeeze(2).neg();
    }

    /** [B, T] 1.0 where target id i + 1 of a row is trained (never padding), else 0. */
    private static NDArray trainedTargets(NDManager m, TokenBatch batch) {
        int rows = batch.tokens().length;
        int t = batch.tokens()[0].length - 1;
        float[] flat = new float[rows * t];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < t && i + 1 < batch.lengths()[r]; i++) {
                flat[r * t + i] = batch.trained()[r][i + 1];
            }
        }
        return m.create(flat, new Shape(rows, t));
    }

    private static NDArray ids(NDManager m, TokenBatch batch) {
        int rows = batch.tokens().length;
        int width = batch.tokens()[0].length;
        int[] flat = new int[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(batch.tokens()[r], 0, flat, r * width, width);
        }
        return m.create(flat, new Shape(rows, width));
    }

    private static PipelineOptions trainOptions(TeacherSettings s) {
        return new PipelineOptions(s.seqLen() + 1, s.seqLen() + 1, s.batchSize(), s.seed(), true, s.heldOutEvery(),
                Split.TRAIN, 0);
    }
}
