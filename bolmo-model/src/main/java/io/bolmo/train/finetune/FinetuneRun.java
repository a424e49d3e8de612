package io.bolmo.train.finetune;

import static io.bolmo.train.RunCheckpoints.OPTIMIZER_FILE;
import static io.bolmo.train.RunCheckpoints.TOKENIZER_FILE;
import static io.bolmo.train.RunCheckpoints.requireSame;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.config.BolmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.ByteifyRun;
import io.bolmo.train.ByteifyTrainer;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.TrainingRun;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.Split;
import io.bolmo.train.data.TrainingBatch;
import io.bolmo.train.data.TrainingDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fine-tuning a Bolmo model on an application's own data, with the checkpoint layout and restart guarantees of a
 * byteifying stage ({@link ByteifyRun}): {@code output/checkpoints/step-NNNNNN} (model, {@code optimizer.safetensors},
 * {@code tokenizer.json}, {@code state.json} last), {@code output/final} and, with a held-out split,
 * {@code output/best}: the model with the lowest held-out loss so far (evaluations at step 0 and after each chunk;
 * {@code best.json} says which step). Resuming restores weights, AdamW moments, the LR schedule, the data cursor
 * and the best-so-far record, so a restarted run ends exactly like an uninterrupted one.
 *
 * <p>The objective is Stage 2's ({@link ByteifyTrainer}, no teacher): the predictor's own boundaries end to end,
 * CE on the fused labels and 4 × BCE against the tokenizer's boundaries, masked to the assistant turns for chats.
 * Not thread-safe; one run per JVM.
 */
public final class FinetuneRun implements TrainingRun {

    static final String FORMAT = "bolmo-finetune-run-v1";
    public static final String BEST_DIR = "best";
    public static final String BEST_FILE = "best.json";

    private final FinetuneParameters params;
    private final NDManager manager;
    private final BolmoModel student;
    private final ByteifyTrainer trainer;
    private final HfSubwordEncoder subwords;
    private final TrainingDocuments documents;
    private final BatchIterator batches;
    private final String tokenizerJson;
    private DataCursor cursor;
    private double bestLoss;
    private long bestStep;
    private WriteHook writeHook = tmp -> { };

    private FinetuneRun(FinetuneParameters params, NDManager manager, BolmoModel student, SubwordVocabulary vocab,
            HfSubwordEncoder subwords, TrainingDocuments documents, DataCursor cursor, String tokenizerJson, double bestLoss,
            long bestStep) {
        this.params = params;
        this.manager = manager;
        this.student = student;
        this.subwords = subwords;
        this.documents = documents;
        this.tokenizerJson = tokenizerJson;
        this.cursor = cursor;
        this.bestLoss = bestLoss;
        this.bestStep = bestStep;
        this.trainer = new ByteifyTrainer(params.settings(), student, null, vocab, SubwordSuffixTrie.build(vocab),
                params.freezeGlobal());
        this.batches = BatchIterator.resume(documents, pipeline(params), cursor);
    }

    /** A new run from {@code params.model()}. */
    public static FinetuneRun start(FinetuneParameters params) {
        params.checkFiles();
        return open(params, params.model(), DataCursor.start(params.seed()), Double.NaN, -1);
    }

    /** Continues from a checkpoint of {@link #saveCheckpoint} written with the same parameters. */
    public static FinetuneRun resume(Path checkpoint, FinetuneParameters params) {
        JsonObject state = RunCheckpoints.readState(checkpoint, FORMAT, List.of("step", "total_steps", "seed",
                "batch_size", "seq_len", "max_patches", "data_format", "freeze_global", "held_out_every", "data"));
        checkMatches(checkpoint, state, params);
        DataCursor cursor = RunCheckpoints.resumeCursor(checkpoint, state);
        double best = state.has("best_loss") && !state.get("best_loss").isJsonNull()
                ? state.get("best_loss").getAsDouble() : Double.NaN;
        long bestStep = state.has("best_step") ? state.get("best_step").getAsLong() : -1;
        FinetuneRun run = open(params.withTokenizer(checkpoint.resolve(TOKENIZER_FILE)), checkpoint, cursor,
                best, bestStep);
        try {
            run.trainer.restoreOptimizer(checkpoint, state.get("step").getAsLong());
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Checks the data before a job starts: the files open, every chat line parses (the error names file:line) and
     * both sides of the held-out split have documents. Returns a one-line summary.
     */
    public static String checkData(FinetuneParameters params) {
        try (TrainingDocuments c = TrainingDocuments.open(params.data(), params.format(), null,
                params.tokenizerFile())) {
            int docs = c.documentCount();
            int heldOut = 0;
            for (int d = 0; d < c.documentCount(); d++) {
                heldOut += Split.HELD_OUT.contains(c.hash(d), params.heldOutEvery()) ? 1 : 0;
            }
            if (docs - heldOut == 0) {
                throw new IllegalArgumentException("data = " + params.data() + " is invalid: no training document ("
                        + docs + " documents, " + heldOut + " held out by held-out-every = " + params.heldOutEvery()
                        + ")");
            }
            if (params.heldOutEvery() > 0 && heldOut == 0) {
                throw new IllegalArgumentException("held-out-every = " + params.heldOutEvery() + " is invalid: it"
                        + " holds out none of the " + docs + " documents of " + params.data()
                        + "; use a smaller value, or 0 for no evaluation");
            }
            return String.format(Locale.ROOT, "%d %s (%d held out)", docs,
                    params.format() == DataFormat.CHAT ? "conversations" : "documents", heldOut);
        } catch (io.bolmo.train.data.CorpusException e) {
            throw new IllegalArgumentException("data is invalid: " + e.getMessage(), e);
        }
    }

    private static FinetuneRun open(FinetuneParameters params, Path weightsDir, DataCursor cursor, double best,
            long bestStep) {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(manager);
        try {
            Path tokenizer = params.tokenizerFile();
            String tokenizerJson = Files.readString(tokenizer, StandardCharsets.UTF_8);
            SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer);
            HfSubwordEncoder subwords = HfSubwordEncoder.open(tokenizer);
            opened.add(subwords);
            // the data files, or shards the prepare job made of them (the same batches, without tokenizing)
            TrainingDocuments documents = TrainingDocuments.open(params.data(), params.format(),
                    params.format().encoder(subwords, vocab), tokenizer);
            opened.add(documents);
            BolmoModel student;
            try (HfCheckpoint hf = HfCheckpoint.open(weightsDir)) {
                student = BolmoModel.create(hf.bolmoConfig(), Weights.from(manager, hf));
            }
            if (student.config().addExpandedEmbeddings() && vocab.size() > student.config().subwordVocabSize()) {
                throw new IllegalArgumentException("tokenizer " + tokenizer + " has " + vocab.size() + " ids but the"
                        + " model's subword_vocab_size is " + student.config().subwordVocabSize());
            }
            return new FinetuneRun(params, manager, student, vocab, subwords, documents, cursor, tokenizerJson, best,
                    bestStep);
        } catch (IOException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof IOException io) {
                throw new CheckpointException("cannot read " + params.tokenizerFile() + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static PipelineOptions pipeline(FinetuneParameters p) {
        return PipelineOptions.training(p.seqLen(), p.maxPatches(), p.batchSize(), p.seed())
                .withHeldOutEvery(p.heldOutEvery());
    }

    @Override
    public String name() {
        return "FINETUNE";
    }

    @Override
    public StepMetrics step() {
        if (finished()) {
            throw new IllegalStateException("the fine-tune already finished its " + params.steps() + " steps");
        }
        TrainingBatch batch = batches.next();
        StepMetrics metrics = trainer.step(batch);
        cursor = batch.next();
        return metrics;
    }

    /**
     * Scores the held-out split (at most {@code eval-batches} batches, in corpus order) and, when the loss is the
     * lowest so far, writes the model to {@code output/best} (atomically). Empty when nothing is held out.
     */
    @Override
    public Optional<HeldOutMetrics> evaluate() {
        if (params.heldOutEvery() == 0) {
            return Optional.empty();
        }
        BatchIterator it = BatchIterator.start(documents, pipeline(params).heldOut());
        List<HeldOutMetrics.Batch> parts = new ArrayList<>();
        while (it.hasNext() && (params.evalBatches() == 0 || parts.size() < params.evalBatches())) {
            parts.add(trainer.evaluate(it.next()));
        }
        HeldOutMetrics m = HeldOutMetrics.of(stepCount(), parts, trainer.settings().weights().boundary());
        if (Double.isNaN(bestLoss) || m.loss() < bestLoss) {
            bestLoss = m.loss();
            bestStep = stepCount();
            JsonObject best = new JsonObject();
            best.addProperty("step", bestStep);
            best.addProperty("loss", m.loss());
            best.addProperty("ce", m.crossEntropy());
            best.addProperty("bnd", m.boundary());
            best.addProperty("bpb", m.bitsPerByte());
            best.addProperty("bytes", m.bytes());
            HfCheckpointWriter.to(bestDir()).config(exportConfig()).weights(student.weights().all())
                    .text(TOKENIZER_FILE, tokenizerJson).text(BEST_FILE, RunCheckpoints.JSON.toJson(best)).write();
        }
        return Optional.of(m);
    }

    public Path bestDir() {
        return params.output().resolve(BEST_DIR);
    }

    /** The lowest held-out loss so far (NaN before the first evaluation) and its step. */
    public double bestLoss() {
        return bestLoss;
    }

    public long bestStep() {
        return bestStep;
    }

    @Override
    public long stepCount() {
        return trainer.stepCount();
    }

    @Override
    public long totalSteps() {
        return params.steps();
    }

    @Override
    public boolean finished() {
        return trainer.finished();
    }

    @Override
    public Path output() {
        return params.output();
    }

    public FinetuneParameters parameters() {
        return params;
    }

    public BolmoModel student() {
        return student;
    }

    public DataCursor cursor() {
        return cursor;
    }

    @Override
    public void writeHook(WriteHook hook) {
        this.writeHook = hook == null ? tmp -> { } : hook;
    }

    @Override
    public Path saveCheckpoint() {
        return RunCheckpoints.write(params.output(), stepCount(), tmp -> {
            Files.writeString(tmp.resolve(HfCheckpoint.CONFIG_FILE), exportConfig(), StandardCharsets.UTF_8);
            SafetensorsWriter.create().writeCheckpoint(tmp, student.weights().all());
            Files.writeString(tmp.resolve(TOKENIZER_FILE), tokenizerJson, StandardCharsets.UTF_8);
            trainer.saveOptimizer(tmp.resolve(OPTIMIZER_FILE));
        }, writeHook, state());
    }

    @Override
    public Path exportFinal(Path hfDir) {
        return HfCheckpointWriter.to(hfDir).config(exportConfig()).weights(student.weights().all())
                .text(TOKENIZER_FILE, tokenizerJson).write();
    }

    /** The model's config, pointing at the {@code tokenizer.json} copied next to it. */
    private String exportConfig() {
        BolmoConfig c = student.config();
        return (c.addExpandedEmbeddings() ? c.withSubwordVocabulary(TOKENIZER_FILE) : c).toJson();
    }

    private JsonObject state() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("step", stepCount());
        o.addProperty("total_steps", params.steps());
        o.addProperty("seed", params.seed());
        o.addProperty("batch_size", params.batchSize());
        o.addProperty("seq_len", params.seqLen());
        o.addProperty("max_patches", params.maxPatches());
        o.addProperty("data_format", params.format().id());
        o.addProperty("freeze_global", params.freezeGlobal());
        o.addProperty("held_out_every", params.heldOutEvery());
        o.add("data", JsonParser.parseString(cursor.toJson()));
        if (!Double.isNaN(bestLoss)) {
            o.addProperty("best_loss", bestLoss);
        }
        o.addProperty("best_step", bestStep);
        o.add("settings", RunCheckpoints.JSON.toJsonTree(trainer.settings()));
        return o;
    }

    private static void checkMatches(Path checkpoint, JsonObject s, FinetuneParameters p) {
        requireSame(checkpoint, "steps", s.get("total_steps").getAsLong(), p.steps());
        requireSame(checkpoint, "seed", s.get("seed").getAsLong(), p.seed());
        requireSame(checkpoint, "batch-size", s.get("batch_size").getAsLong(), (long) p.batchSize());
        requireSame(checkpoint, "seq-len", s.get("seq_len").getAsLong(), (long) p.seqLen());
        requireSame(checkpoint, "max-patches", s.get("max_patches").getAsLong(), (long) p.maxPatches());
        requireSame(checkpoint, "format", s.get("data_format").getAsString(), p.format().id());
        requireSame(checkpoint, "freeze-global", s.get("freeze_global").getAsBoolean(), p.freezeGlobal());
        requireSame(checkpoint, "held-out-every", s.get("held_out_every").getAsLong(), (long) p.heldOutEvery());
    }

    @Override
    public void close() {
        trainer.close();
        student.close();
        documents.close();
        subwords.close();
        manager.close();
    }
}
