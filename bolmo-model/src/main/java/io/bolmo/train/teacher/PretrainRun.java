package io.bolmo.train.teacher;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.djl.DjlEngines;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.CheckpointedRun;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunIdentity;
import io.bolmo.train.RunOpener;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.DataFormat;
import io.bolmo.tokenize.HfSubwordEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Teacher pretraining ({@link SubwordLmTrainer}) as a {@link CheckpointedRun}, so the {@code pretrain} job and
 * {@code bolmo pretrain-teacher} step, checkpoint ({@code output/checkpoints/step-NNNNNN}, atomic, {@code state.json}
 * last) and resume it exactly like a byteifying stage. Started from an existing teacher ({@code init}) on chat data
 * it is the teacher's instruction fine-tune, whose delta task arithmetic moves into a Bolmo (model.md §11). A
 * checkpoint's settings ({@code settings.json}: data shape, steps, LR, seed, format, ...) must equal the run's to
 * resume.
 */
public final class PretrainRun extends CheckpointedRun {

    static final String FORMAT = "bolmo-pretrain-run-v1";

    private final PretrainParameters params;
    private final NDManager manager;
    private final Corpus corpus;
    private final HfSubwordEncoder encoder;
    private final SubwordLmTrainer trainer;
    private final TokenBytes tokenBytes;

    private PretrainRun(PretrainParameters params, Path checkpoint) {
        super(FORMAT, params.output());
        this.params = params;
        NDManager m = NDManager.newBaseManager(DjlEngines.device(DeviceSpec.parse(params.device())), "PyTorch");
        List<AutoCloseable> opened = new ArrayList<>(List.of(m));
        try {
            this.corpus = Corpus.open(params.corpus(), params.settings().format().corpusOptions());
            opened.add(corpus);
            this.encoder = HfSubwordEncoder.open(params.tokenizer());
            opened.add(encoder);
            SubwordVocabulary vocab = SubwordVocabulary.load(params.tokenizer());
            this.tokenBytes = TokenBytes.of(vocab);
            TokenDocuments documents = params.settings().format() == DataFormat.CHAT
                    ? TokenDocuments.chat(encoder, vocab, ChatTemplate.OLMO)
                    : TokenDocuments.text(encoder);
            if (checkpoint != null) {
                this.trainer = SubwordLmTrainer.resume(checkpoint, corpus, documents, m);
            } else if (params.init() != null) {
                this.trainer = SubwordLmTrainer.startFrom(params.init(), params.settings(), corpus, documents, m);
            } else {
                this.trainer = SubwordLmTrainer.create(params.config(), params.settings(), corpus, documents, m);
            }
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        this.manager = m;
    }

    /** A fresh run, or the continuation of {@code checkpoint} (which must have the same settings). */
    public static PretrainRun open(PretrainParameters params, Path checkpoint) {
        return checkpoint == null ? new PretrainRun(params, null) : resume(checkpoint, params);
    }

    /**
     * Continues from {@code checkpoint}; its settings are compared with the run's before anything is loaded, and a
     * difference is a {@link CheckpointException} naming both.
     */
    public static PretrainRun resume(Path checkpoint, PretrainParameters params) {
        readState(checkpoint, FORMAT, RunIdentity::new);
        TeacherSettings saved;
        try {
            saved = TeacherSettings.fromJson(Files.readString(
                    checkpoint.resolve(SubwordLmTrainer.STATE_SETTINGS), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + checkpoint + " has no readable "
                    + SubwordLmTrainer.STATE_SETTINGS + ": " + e.getMessage(), e);
        }
        if (!saved.equals(params.settings())) {
            throw new CheckpointException("checkpoint " + checkpoint + " was written with " + saved
                    + " but this run has " + params.settings() + "; resume with the original parameters");
        }
        return new PretrainRun(params, checkpoint);
    }

    /** How the job runner and the command line open a pretraining run: fresh or from a checkpoint. */
    public static RunOpener opener(PretrainParameters params) {
        return RunOpener.of(params.output(), () -> open(params, null), checkpoint -> resume(checkpoint, params));
    }

    @Override
    public String name() {
        return "PRETRAIN";
    }

    /**
     * One step; the subword cross-entropy (nats per token) is reported as the total and the CE term. A subword run
     * has no byte stream: the step's token count fills the byte count, so its throughput reads in tokens per second.
     */
    @Override
    public StepMetrics step() {
        if (finished()) {
            throw new IllegalStateException("pretraining already finished its " + totalSteps() + " steps");
        }
        StepResult r = trainer.step();
        return new StepMetrics(r.step(), StepMetrics.Losses.crossEntropyOnly(r.loss()), StepMetrics.Boundaries.NONE,
                Double.NaN, r.gradNorm(), r.lr(), r.tokens(), r.seconds());
    }

    @Override
    public long stepCount() {
        return trainer.stepCount();
    }

    @Override
    public long totalSteps() {
        return params.settings().totalSteps();
    }

    @Override
    public boolean finished() {
        return trainer.finished();
    }

    public OlmoConfig config() {
        return trainer.model().config();
    }

    public long parameterCount() {
        return trainer.model().weights().parameterCount();
    }

    public long documentCount() {
        return corpus.documentCount();
    }

    /** The settings are in the checkpoint's {@code settings.json}, compared as a whole on resume. */
    @Override
    protected RunIdentity identity() {
        return new RunIdentity();
    }

    @Override
    protected void writeCheckpointFiles(Path dir) throws IOException {
        trainer.writeState(dir);
    }

    @Override
    public Path exportFinal(Path hfDir) {
        return trainer.export(hfDir, params.tokenizer(), params.exportDtype());
    }

    /**
     * Held-out loss over the run's held-out split, per byte like every run's ({@code bits per byte × ln 2}, as loss
     * and CE): the teacher's token losses spread over the bytes of the tokens.
     */
    @Override
    public Optional<HeldOutMetrics> evaluate() {
        if (params.evalBatches() < 0) {
            return Optional.empty();
        }
        SubwordHeldOut h = trainer.evaluate(params.evalBatches(), tokenBytes);
        double natsPerByte = h.bitsPerByte() * Math.log(2);
        return Optional.of(new HeldOutMetrics(stepCount(), h.bytes(), natsPerByte, natsPerByte, 0, h.bitsPerByte()));
    }

    @Override
    public void close() {
        trainer.close();
        encoder.close();
        corpus.close();
        manager.close();
    }
}
