package io.bolmo.train;

import static io.bolmo.train.RunCheckpoints.OPTIMIZER_FILE;
import static io.bolmo.train.RunCheckpoints.TOKENIZER_FILE;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.config.BolmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.DataFormat;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import io.bolmo.train.data.TrainingDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run that trains a Bolmo student with {@link ByteifyTrainer} on byte windows of a corpus: a byteifying stage
 * ({@link ByteifyRun}) or a fine-tune ({@link io.bolmo.train.finetune.FinetuneRun}). A checkpoint holds the student
 * as a Hugging Face model ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}, so
 * {@code Bolmo.load} reads it), {@code optimizer.safetensors} and {@code state.json} (identity, data cursor,
 * settings). Resuming continues bit for bit: float32 weights and AdamW moments, the data cursor fixes every later
 * batch, the LR schedule follows the restored step count.
 *
 * <p>Not thread-safe, and only one run may step per JVM (DJL's gradient collector is process-wide).
 */
public abstract class StudentRun extends CheckpointedRun {

    /**
     * What a student run trains on and how.
     *
     * @param tokenizer    the subword {@code tokenizer.json}: its boundaries are the targets; copied into every
     *                     checkpoint
     * @param data         corpus files or directories
     * @param format       plain text (every byte trained) or chats (assistant turns only)
     * @param pipeline     window shape, batch size, seed, held-out split
     * @param settings     the objective (stage, LR schedule, loss weights)
     * @param freezeGlobal Stage 2: keep the global blocks as loaded
     */
    public record Setup(Path tokenizer, List<Path> data, DataFormat format, PipelineOptions pipeline,
            TrainingSettings settings, boolean freezeGlobal) {}

    /** The student and, for Stage 1, its teacher. */
    public record Models(BolmoModel student, OlmoModel teacher) {}

    /** Loads the models of a run on its manager, once the vocabulary is known. */
    @FunctionalInterface
    public interface ModelSource {
        Models load(NDManager manager, SubwordVocabulary vocab);
    }

    private final NDManager manager;
    private final SubwordVocabulary vocab;
    private final HfSubwordEncoder subwords;
    private final TrainingDocuments documents;
    private final BolmoModel student;
    private final OlmoModel teacher;
    private final ByteifyTrainer trainer;
    private final BatchIterator batches;
    private final PipelineOptions pipeline;
    private final String tokenizerJson;
    private DataCursor cursor;

    /** Opens the tokenizer, the data and the models; everything opened is closed again if a part fails. */
    protected StudentRun(String format, Path output, Setup setup, ModelSource models, DataCursor cursor) {
        super(format, output);
        NDManager m = NDManager.newBaseManager("PyTorch");
        List<AutoCloseable> opened = new ArrayList<>(List.of(m));
        try {
            this.tokenizerJson = Files.readString(setup.tokenizer(), StandardCharsets.UTF_8);
            this.vocab = SubwordVocabulary.load(setup.tokenizer());
            this.subwords = HfSubwordEncoder.open(setup.tokenizer());
            opened.add(subwords);
            // the data files, or shards the prepare job made of them: the same documents, already encoded
            this.documents = TrainingDocuments.open(setup.data(), setup.format(),
                    setup.format().encoder(subwords, vocab), setup.tokenizer());
            opened.add(documents);
            Models loaded = models.load(m, vocab);
            this.student = loaded.student();
            this.teacher = loaded.teacher();
            BolmoConfig c = student.config();
            if (c.addExpandedEmbeddings() && vocab.size() > c.subwordVocabSize()) {
                throw new IllegalArgumentException("tokenizer " + setup.tokenizer() + " has " + vocab.size()
                        + " ids but the model's subword_vocab_size is " + c.subwordVocabSize());
            }
            this.trainer = new ByteifyTrainer(setup.settings(), student, teacher, vocab,
                    SubwordSuffixTrie.build(vocab), setup.freezeGlobal());
            this.batches = BatchIterator.resume(documents, setup.pipeline(), cursor);
        } catch (IOException e) {
            closeAll(opened, e);
            throw new CheckpointException("cannot read " + setup.tokenizer() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        this.manager = m;
        this.pipeline = setup.pipeline();
        this.cursor = cursor;
    }

    /** Restores the optimizer of {@code checkpoint} into {@code run}, just opened from it (closed if that fails). */
    protected static <R extends StudentRun> R withOptimizerOf(R run, Path checkpoint, JsonObject state) {
        try {
            ((StudentRun) run).trainer.restoreOptimizer(checkpoint, state.get("step").getAsLong());
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** The batch the objective trains on; Stage 2 compression merges its patches. */
    protected TrainingBatch prepare(TrainingBatch batch) {
        return batch;
    }

    /** One optimizer step on the next batch. */
    @Override
    public StepMetrics step() {
        if (finished()) {
            throw new IllegalStateException(name() + " already finished its " + totalSteps() + " steps");
        }
        TrainingBatch batch = prepare(batches.next());
        StepMetrics metrics = trainer.step(batch);
        cursor = batch.next();
        return metrics;
    }

    @Override
    public long stepCount() {
        return trainer.stepCount();
    }

    @Override
    public long totalSteps() {
        return trainer.settings().totalSteps();
    }

    @Override
    public boolean finished() {
        return trainer.finished();
    }

    public BolmoModel student() {
        return student;
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return cursor;
    }

    protected SubwordVocabulary vocabulary() {
        return vocab;
    }

    protected ByteifyTrainer trainer() {
        return trainer;
    }

    /** Batches of the held-out split, in corpus order, from its start. */
    protected BatchIterator heldOutBatches() {
        return BatchIterator.start(documents, pipeline.heldOut());
    }

    @Override
    protected void writeCheckpointFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve(HfCheckpoint.CONFIG_FILE), exportConfig(), StandardCharsets.UTF_8);
        SafetensorsWriter.create().writeCheckpoint(dir, student.weights().all());
        Files.writeString(dir.resolve(TOKENIZER_FILE), tokenizerJson, StandardCharsets.UTF_8);
        trainer.saveOptimizer(dir.resolve(OPTIMIZER_FILE));
    }

    @Override
    protected void addState(JsonObject state) {
        state.add("data", JsonParser.parseString(cursor.toJson()));
        state.add("settings", RunCheckpoints.JSON.toJsonTree(trainer.settings()));
    }

    /** Writes the student alone as a Hugging Face model directory (atomically) for {@code Bolmo.load}. */
    @Override
    public Path exportFinal(Path hfDir) {
        return exporter(hfDir).write();
    }

    /** The student as a Hugging Face directory with its tokenizer, ready for further files and {@code write()}. */
    protected HfCheckpointWriter exporter(Path hfDir) {
        return HfCheckpointWriter.to(hfDir).config(exportConfig()).weights(student.weights().all())
                .text(TOKENIZER_FILE, tokenizerJson);
    }

    /** The student's config, pointing at the {@code tokenizer.json} copied next to it. */
    private String exportConfig() {
        BolmoConfig c = student.config();
        return (c.addExpandedEmbeddings() ? c.withSubwordVocabulary(TOKENIZER_FILE) : c).toJson();
    }

    @Override
    public void close() {
        trainer.close();
        student.close();
        if (teacher != null) {
            teacher.close();
        }
        documents.close();
        subwords.close();
        manager.close();
    }
}
