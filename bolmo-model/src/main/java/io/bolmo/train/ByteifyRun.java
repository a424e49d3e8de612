package io.bolmo.train;

import static io.bolmo.train.RunCheckpoints.TOKENIZER_FILE;

import com.google.gson.JsonObject;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.PatchCompressor;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import java.nio.file.Path;

/**
 * One byteifying stage (model.md §6, §7) as a {@link StudentRun}: Stage 1 distils a new student from the subword
 * teacher in {@code init} (reloaded on every resume); Stage 2 trains the student end to end without a teacher, its
 * boundary targets optionally merged to longer patches ({@link PatchCompressor}, model.md §4.5). Checkpoints record the
 * stage and the data shape, seed, step budget, compression and boundary weight; a resume with any of them changed is
 * refused.
 */
public final class ByteifyRun extends StudentRun {

    static final String FORMAT = "bolmo-byteify-run-v1";

    private final ByteifyParameters params;
    private final PatchCompressor compressor;

    private ByteifyRun(ByteifyParameters params, Path studentDir, DataCursor cursor) {
        super(FORMAT, params.output(), setup(params), models(params, studentDir), cursor);
        this.params = params;
        this.compressor = new PatchCompressor(params.compression(), vocabulary().eosId(), vocabulary().padId(),
                params.seed());
    }

    /**
     * A new run: Stage 1 initialises the student from the teacher in {@code params.init()} (seeded); Stage 2 loads
     * the student from the Stage 1 output in {@code params.init()} and trains it without a teacher.
     */
    public static ByteifyRun start(ByteifyParameters params) {
        params.checkFiles(true);
        return new ByteifyRun(params, null, DataCursor.start(params.seed()));
    }

    /**
     * Continues from {@code checkpoint} (a {@code step-NNNNNN} directory of {@link #saveCheckpoint}). The checkpoint
     * must belong to the same stage and the same data shape, seed and step budget as {@code params}; otherwise (or
     * when a file is missing or unreadable) a {@link CheckpointException} names the checkpoint and the difference.
     */
    public static ByteifyRun resume(Path checkpoint, ByteifyParameters params) {
        JsonObject state = readState(checkpoint, FORMAT, () -> params.identity(), "data");
        DataCursor cursor = RunCheckpoints.resumeCursor(checkpoint, state);
        return withOptimizerOf(new ByteifyRun(params.withTokenizer(checkpoint.resolve(TOKENIZER_FILE)), checkpoint,
                cursor), checkpoint, state);
    }

    /** How the job runners open this stage: fresh or from a checkpoint. */
    public static RunOpener opener(ByteifyParameters params) {
        return RunOpener.of(params.output(), () -> start(params), checkpoint -> resume(checkpoint, params));
    }

    private static Setup setup(ByteifyParameters p) {
        PipelineOptions pipeline = PipelineOptions.training(p.seqLen(), p.maxPatches(), p.batchSize(), p.seed())
                .withHeldOutEvery(p.heldOutEvery());
        return new Setup(p.tokenizerFile(), p.corpus(), DataFormat.TEXT, pipeline, p.settings(), false);
    }

    /** Stage 1 reloads its teacher; the student comes from the checkpoint, from {@code init}, or from the teacher. */
    private static ModelSource models(ByteifyParameters p, Path studentDir) {
        return (manager, vocab) -> {
            OlmoModel teacher = p.stage() == Stage.STAGE1 ? HfCheckpoint.loadOlmo(p.init(), manager) : null;
            BolmoModel student;
            if (studentDir == null && p.stage() == Stage.STAGE1) {
                student = StudentInit.student(studentConfig(p, teacher.config(), vocab), teacher, p.seed(), manager);
            } else {
                Path from = studentDir != null ? studentDir : p.init();
                try {
                    student = HfCheckpoint.loadBolmo(from, manager);
                } catch (RuntimeException e) {
                    throw e instanceof CheckpointException c ? c
                            : new CheckpointException("cannot load the student from " + from + ": " + e.getMessage(),
                                    e);
                }
            }
            return new Models(student, teacher);
        };
    }

    private static BolmoConfig studentConfig(ByteifyParameters p, OlmoConfig teacher, SubwordVocabulary vocab) {
        ByteifyParameters.LocalShape s = p.local();
        int heads = s.heads() == 0 ? teacher.numAttentionHeads() : s.heads();
        int intermediate = s.intermediate() == 0 ? teacher.hiddenSize() * 11 / 8 : s.intermediate();
        // the tokenizer travels inside every checkpoint, so the config points at the copy next to it
        return StudentInit.configFor(teacher, s.encoderLayers(), s.decoderLayers(), heads, intermediate, vocab.size(),
                TOKENIZER_FILE);
    }

    /** Stage 2 compression: the boundary targets of this step follow patches merged to its ratio (model.md §4.5). */
    @Override
    protected TrainingBatch prepare(TrainingBatch batch) {
        return compressor.apply(batch, stepCount());
    }

    @Override
    protected RunIdentity identity() {
        return params.identity();
    }

    @Override
    public String name() {
        return params.stage().name();
    }

    public Stage stage() {
        return params.stage();
    }

    public ByteifyParameters parameters() {
        return params;
    }
}
