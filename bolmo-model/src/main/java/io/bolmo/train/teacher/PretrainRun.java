package io.bolmo.train.teacher;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.bolmo.Bolmo;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.TrainingRun;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.DataFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Teacher pretraining ({@link SubwordLmTrainer}) as a {@link TrainingRun}, so the {@code pretrain} job and
 * {@code bolmo pretrain-teacher} step, checkpoint ({@code output/checkpoints/step-NNNNNN}, atomic, {@code state.json}
 * last) and resume it exactly like a byteifying stage. Started from an existing teacher ({@code init}) on chat data
 * it is the teacher's instruction fine-tune, whose delta task arithmetic moves into a Bolmo (spec 11).
 */
public final class PretrainRun implements TrainingRun {

    static final String FORMAT = "bolmo-pretrain-run-v1";

    /**
     * @param output      checkpoints/ and final/ go here
     * @param corpus      text files (one document per line, or .jsonl); held-out split by content hash
     * @param tokenizer   the subword tokenizer.json (copied into every export)
     * @param init        null: start from random weights of shape {@code config}; else start from this Hugging
     *                    Face teacher's weights and shape (continued pretraining, fine-tuning); a resumed run
     *                    ignores both
     * @param config      the teacher's shape (used when starting from random weights)
     * @param settings    optimizer, data shape, steps, seed
     * @param evalBatches held-out batches per evaluation (0: all; negative: no evaluation)
     * @param exportDtype weights of the exported model
     * @param device      cpu, gpu or gpu:N
     */
    public record Parameters(Path output, List<Path> corpus, Path tokenizer, Path init, OlmoConfig config,
            TeacherSettings settings, int evalBatches, SafetensorsDtype exportDtype, String device) {}

    private final Parameters params;
    private final NDManager manager;
    private final Corpus corpus;
    private final HfSubwordEncoder encoder;
    private final SubwordLmTrainer trainer;
    private final TokenBytes tokenBytes;
    private WriteHook writeHook = tmp -> { };

    private PretrainRun(Parameters params, NDManager manager, Corpus corpus, HfSubwordEncoder encoder,
            SubwordLmTrainer trainer, SubwordVocabulary vocab) {
        this.params = params;
        this.manager = manager;
        this.corpus = corpus;
        this.encoder = encoder;
        this.trainer = trainer;
        this.tokenBytes = TokenBytes.of(vocab);
    }

    /** A fresh run, or the continuation of {@code checkpoint} (which must have the same settings). */
    public static PretrainRun open(Parameters params, Path checkpoint) {
        NDManager manager = NDManager.newBaseManager(Bolmo.resolveDevice(params.device()), "PyTorch");
        Corpus corpus = null;
        HfSubwordEncoder encoder = null;
        try {
            corpus = Corpus.open(params.corpus(), params.settings().format().corpusOptions());
            encoder = HfSubwordEncoder.open(params.tokenizer());
            SubwordVocabulary vocab = SubwordVocabulary.load(params.tokenizer());
            TokenDocuments documents = params.settings().format() == DataFormat.CHAT
                    ? TokenDocuments.chat(encoder, vocab, ChatTemplate.OLMO)
                    : TokenDocuments.text(encoder);
            SubwordLmTrainer trainer;
            if (checkpoint != null) {
                RunCheckpoints.readState(checkpoint, FORMAT, List.of("step"));
                trainer = SubwordLmTrainer.resume(checkpoint, corpus, documents, manager);
                if (!trainer.settings().equals(params.settings())) {
                    trainer.close();
                    throw new CheckpointException("checkpoint " + checkpoint + " was written with " + trainer.settings()
                            + " but this run has " + params.settings() + "; resume with the original parameters");
                }
            } else if (params.init() != null) {
                trainer = SubwordLmTrainer.startFrom(params.init(), params.settings(), corpus, documents, manager);
            } else {
                trainer = SubwordLmTrainer.create(params.config(), params.settings(), corpus, documents, manager);
            }
            return new PretrainRun(params, manager, corpus, encoder, trainer, vocab);
        } catch (RuntimeException e) {
            if (encoder != null) {
                encoder.close();
            }
            if (corpus != null) {
                corpus.close();
            }
            manager.close();
            throw e;
        }
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
        return new StepMetrics(r.step(), r.loss(), 0, r.loss(), 0, 0, 0, 0, Double.NaN, 0, r.gradNorm(), r.lr(),
                r.tokens(), r.seconds());
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

    @Override
    public Path output() {
        return params.output();
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

    @Override
    public Path saveCheckpoint() {
        JsonObject state = new JsonObject();
        state.addProperty("format", FORMAT);
        state.addProperty("step", stepCount());
        return RunCheckpoints.write(params.output(), stepCount(), trainer::writeState, writeHook, state);
    }

    @Override
    public Path exportFinal(Path hfDir) {
        return trainer.export(hfDir, params.tokenizer(), params.exportDtype());
    }

    @Override
    public void writeHook(WriteHook hook) {
        this.writeHook = hook == null ? tmp -> { } : hook;
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
        io.bolmo.train.teacher.HeldOutMetrics h = trainer.evaluate(params.evalBatches(), tokenBytes);
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
