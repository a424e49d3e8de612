package io.bolmo.train;

import static io.bolmo.train.RunCheckpoints.OPTIMIZER_FILE;
import static io.bolmo.train.RunCheckpoints.TOKENIZER_FILE;
import static io.bolmo.train.RunCheckpoints.requireSame;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.PatchCompressor;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import io.bolmo.train.data.TrainingDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One byteifying stage that can stop and resume anywhere: the student, its trainer, the teacher (Stage 1) and the
 * data iterator, plus checkpoints that hold all of it. A checkpoint is one directory
 * {@code output/checkpoints/step-NNNNNN} written atomically (temp sibling, then rename) with the student as a Hugging
 * Face model ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}, so {@code Bolmo.load} reads
 * it), {@code optimizer.safetensors} and {@code state.json} (stage, step, data cursor, seed, settings). Resuming
 * from a checkpoint continues bit for bit: weights and optimizer moments are stored as float32, the data cursor
 * fixes every later batch, the LR schedule follows the restored step count.
 *
 * <p>Not thread-safe, and only one run may step per JVM (DJL's gradient collector is process-wide).
 */
public final class ByteifyRun implements TrainingRun {

    static final String FORMAT = "bolmo-byteify-run-v1";

    private final ByteifyParameters params;
    private final NDManager manager;
    private final OlmoModel teacher;
    private final BolmoModel student;
    private final ByteifyTrainer trainer;
    private final HfSubwordEncoder encoder;
    private final TrainingDocuments documents;
    private final BatchIterator batches;
    private final PatchCompressor compressor;
    private final String tokenizerJson;
    private DataCursor cursor;
    private WriteHook writeHook = tmp -> { };

    private ByteifyRun(ByteifyParameters params, NDManager manager, OlmoModel teacher, BolmoModel student,
            SubwordVocabulary vocab, HfSubwordEncoder encoder, TrainingDocuments documents, DataCursor cursor,
            String tokenizerJson) {
        this.params = params;
        this.manager = manager;
        this.teacher = teacher;
        this.student = student;
        this.encoder = encoder;
        this.documents = documents;
        this.tokenizerJson = tokenizerJson;
        this.trainer = new ByteifyTrainer(params.settings(), student, teacher, vocab, SubwordSuffixTrie.build(vocab));
        this.batches = BatchIterator.resume(documents, pipeline(params), cursor);
        this.compressor = new PatchCompressor(params.compression(), vocab.eosId(), vocab.padId(), params.seed());
        this.cursor = cursor;
    }

    /**
     * A new run: Stage 1 initialises the student from the teacher in {@code params.init()} (seeded); Stage 2 loads
     * the student from the Stage 1 output in {@code params.init()} and trains it without a teacher.
     */
    public static ByteifyRun start(ByteifyParameters params) {
        params.checkFiles(true);
        return open(params, null, DataCursor.start(params.seed()));
    }

    /**
     * Continues from {@code checkpoint} (a {@code step-NNNNNN} directory of {@link #saveCheckpoint}). The checkpoint
     * must belong to the same stage and the same data shape, seed and step budget as {@code params}; otherwise (or
     * when a file is missing or unreadable) a {@link CheckpointException} names the checkpoint and the difference.
     * Stage 1 reloads the teacher from {@code params.init()}.
     */
    public static ByteifyRun resume(Path checkpoint, ByteifyParameters params) {
        JsonObject state = RunCheckpoints.readState(checkpoint, FORMAT,
                List.of("stage", "step", "total_steps", "seed", "batch_size", "seq_len", "max_patches", "data"));
        checkMatches(checkpoint, state, params);
        DataCursor cursor = RunCheckpoints.resumeCursor(checkpoint, state);
        ByteifyRun run = open(params.withTokenizer(checkpoint.resolve(TOKENIZER_FILE)), checkpoint, cursor);
        try {
            run.trainer.restoreOptimizer(checkpoint, state.get("step").getAsLong());
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /** Resumes from the newest complete checkpoint under {@code params.output()}, or starts when there is none. */
    public static ByteifyRun startOrResume(ByteifyParameters params) {
        Optional<Path> latest = RunCheckpoints.latest(params.output());
        return latest.isPresent() ? resume(latest.get(), params) : start(params);
    }

    private static ByteifyRun open(ByteifyParameters params, Path studentDir, DataCursor cursor) {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(manager);
        try {
            Path tokenizer = params.tokenizerFile();
            String tokenizerJson = Files.readString(tokenizer, StandardCharsets.UTF_8);
            SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer);
            HfSubwordEncoder encoder = HfSubwordEncoder.open(tokenizer);
            opened.add(encoder);
            // the corpus, or shards the prepare job made of it (the same batches, without tokenizing)
            TrainingDocuments documents = TrainingDocuments.open(params.corpus(), DataFormat.TEXT,
                    DataFormat.TEXT.encoder(encoder, vocab), tokenizer);
            opened.add(documents);
            OlmoModel teacher = params.stage() == Stage.STAGE1 ? loadTeacher(params.init(), manager) : null;
            BolmoModel student;
            if (studentDir != null) {
                student = loadStudent(studentDir, manager);
            } else if (params.stage() == Stage.STAGE1) {
                student = TeacherInit.student(studentConfig(params, teacher.config(), vocab), teacher, params.seed(),
                        manager);
            } else {
                student = loadStudent(params.init(), manager);
            }
            return new ByteifyRun(params, manager, teacher, student, vocab, encoder, documents, cursor, tokenizerJson);
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

    private static OlmoModel loadTeacher(Path dir, NDManager manager) {
        try (HfCheckpoint hf = HfCheckpoint.open(dir)) {
            return OlmoModel.create(hf.olmoConfig(), Weights.from(manager, hf));
        }
    }

    private static BolmoModel loadStudent(Path dir, NDManager manager) {
        try (HfCheckpoint hf = HfCheckpoint.open(dir)) {
            return BolmoModel.create(hf.bolmoConfig(), Weights.from(manager, hf));
        } catch (RuntimeException e) {
            throw e instanceof CheckpointException c ? c
                    : new CheckpointException("cannot load the student from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static BolmoConfig studentConfig(ByteifyParameters p, OlmoConfig teacher, SubwordVocabulary vocab) {
        ByteifyParameters.LocalShape s = p.local();
        int heads = s.heads() == 0 ? teacher.numAttentionHeads() : s.heads();
        int intermediate = s.intermediate() == 0 ? teacher.hiddenSize() * 11 / 8 : s.intermediate();
        // the tokenizer travels inside every checkpoint, so the config points at the copy next to it
        return TeacherInit.configFor(teacher, s.encoderLayers(), s.decoderLayers(), heads, intermediate, vocab.size(),
                TOKENIZER_FILE);
    }

    private static PipelineOptions pipeline(ByteifyParameters p) {
        return PipelineOptions.training(p.seqLen(), p.maxPatches(), p.batchSize(), p.seed())
                .withHeldOutEvery(p.heldOutEvery());
    }

    /** One optimizer step on the next batch. */
    public StepMetrics step() {
        if (finished()) {
            throw new IllegalStateException(params.stage() + " already finished its " + params.steps() + " steps");
        }
        // Stage 2 compression: the boundary targets of this step follow patches merged to its ratio (spec 4.5)
        TrainingBatch batch = compressor.apply(batches.next(), trainer.stepCount());
        StepMetrics metrics = trainer.step(batch);
        cursor = batch.next();
        return metrics;
    }

    @Override
    public String name() {
        return params.stage().name();
    }

    @Override
    public Path output() {
        return params.output();
    }

    public long stepCount() {
        return trainer.stepCount();
    }

    public long totalSteps() {
        return params.steps();
    }

    public boolean finished() {
        return trainer.finished();
    }

    public Stage stage() {
        return params.stage();
    }

    public ByteifyParameters parameters() {
        return params;
    }

    public BolmoModel student() {
        return student;
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return cursor;
    }

    /** Replaces the fault-injection hook called while a checkpoint is half written. */
    public void writeHook(WriteHook hook) {
        this.writeHook = hook == null ? tmp -> { } : hook;
    }

    /** Writes the complete state at the current step into {@code checkpoints/step-NNNNNN}, atomically. */
    public Path saveCheckpoint() {
        return RunCheckpoints.write(params.output(), stepCount(), tmp -> {
            writeModel(tmp);
            trainer.saveOptimizer(tmp.resolve(OPTIMIZER_FILE));
        }, writeHook, state());
    }

    /** Writes the student alone as a Hugging Face model directory (atomically) for {@code Bolmo.load}. */
    public Path exportFinal(Path hfDir) {
        return HfCheckpointWriter.to(hfDir).config(student.config().toJson()).weights(student.weights().all())
                .text(TOKENIZER_FILE, tokenizerJson).write();
    }

    private void writeModel(Path dir) throws IOException {
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG_FILE), student.config().toJson(), StandardCharsets.UTF_8);
        SafetensorsWriter.create().writeCheckpoint(dir, student.weights().all());
        Files.writeString(dir.resolve(TOKENIZER_FILE), tokenizerJson, StandardCharsets.UTF_8);
    }

    private JsonObject state() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("stage", params.stage().name());
        o.addProperty("step", stepCount());
        o.addProperty("total_steps", params.steps());
        o.addProperty("seed", params.seed());
        o.addProperty("batch_size", params.batchSize());
        o.addProperty("seq_len", params.seqLen());
        o.addProperty("max_patches", params.maxPatches());
        o.addProperty("compression", params.compression().toString());
        o.add("data", JsonParser.parseString(cursor.toJson()));
        o.add("settings", RunCheckpoints.JSON.toJsonTree(trainer.settings()));
        return o;
    }

    private static void checkMatches(Path checkpoint, JsonObject s, ByteifyParameters p) {
        requireSame(checkpoint, "stage", s.get("stage").getAsString(), p.stage().name());
        requireSame(checkpoint, "steps", s.get("total_steps").getAsLong(), p.steps());
        requireSame(checkpoint, "seed", s.get("seed").getAsLong(), p.seed());
        requireSame(checkpoint, "batch-size", s.get("batch_size").getAsLong(), (long) p.batchSize());
        requireSame(checkpoint, "seq-len", s.get("seq_len").getAsLong(), (long) p.seqLen());
        requireSame(checkpoint, "max-patches", s.get("max_patches").getAsLong(), (long) p.maxPatches());
        // checkpoints from before the option trained on the subword boundaries
        requireSame(checkpoint, "compression", s.has("compression") ? s.get("compression").getAsString() : "none",
                p.compression().toString());
        JsonObject settings = s.has("settings") ? s.getAsJsonObject("settings") : null;
        if (settings != null && settings.has("weights")) {
            requireSame(checkpoint, "boundary-weight", settings.getAsJsonObject("weights").get("boundary").getAsFloat(),
                    p.settings().weights().boundary());
        }
    }

    @Override
    public void close() {
        trainer.close();
        student.close();
        if (teacher != null) {
            teacher.close();
        }
        documents.close();
        encoder.close();
        manager.close();
    }
}
