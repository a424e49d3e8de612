package io.bolmo.train.finetune;

import static io.bolmo.train.RunCheckpoints.TOKENIZER_FILE;

import com.google.gson.JsonObject;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.train.ByteifyTrainer;
import io.bolmo.train.HeldOutMetrics;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.RunIdentity;
import io.bolmo.train.RunOpener;
import io.bolmo.train.StudentRun;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.TrainingDocuments;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fine-tuning a Bolmo model on an application's own data, with the checkpoint layout and restart guarantees of a
 * byteifying stage ({@link StudentRun}): {@code output/checkpoints/step-NNNNNN}, {@code output/final} and, with a
 * held-out split, {@code output/best}: the model with the lowest held-out loss so far (evaluations at step 0 and
 * after each chunk; {@code best.json} says which step). Resuming restores weights, AdamW moments, the LR schedule,
 * the data cursor and the best-so-far record, so a restarted run ends exactly like an uninterrupted one.
 *
 * <p>The objective is Stage 2's ({@link ByteifyTrainer}, no teacher): the predictor's own boundaries end to end,
 * CE on the fused labels and 4 × BCE against the tokenizer's boundaries, masked to the assistant turns for chats.
 * Not thread-safe; one run per JVM.
 */
public final class FinetuneRun extends StudentRun {

    static final String FORMAT = "bolmo-finetune-run-v1";
    public static final String BEST_DIR = "best";
    public static final String BEST_FILE = "best.json";

    private final FinetuneParameters params;
    private double bestLoss;
    private long bestStep;

    private FinetuneRun(FinetuneParameters params, Path weightsDir, DataCursor cursor, double bestLoss,
            long bestStep) {
        super(FORMAT, params.output(), setup(params), (manager, vocab) ->
                new Models(HfCheckpoint.loadBolmo(weightsDir, manager), null), cursor);
        this.params = params;
        this.bestLoss = bestLoss;
        this.bestStep = bestStep;
    }

    /** A new run from {@code params.model()}. */
    public static FinetuneRun start(FinetuneParameters params) {
        params.checkFiles();
        return new FinetuneRun(params, params.model(), DataCursor.start(params.seed()), Double.NaN, -1);
    }

    /** Continues from a checkpoint of {@link #saveCheckpoint} written with the same parameters. */
    public static FinetuneRun resume(Path checkpoint, FinetuneParameters params) {
        JsonObject state = readState(checkpoint, FORMAT, () -> params.identity(), "data");
        DataCursor cursor = RunCheckpoints.resumeCursor(checkpoint, state);
        double best = state.has("best_loss") && !state.get("best_loss").isJsonNull()
                ? state.get("best_loss").getAsDouble() : Double.NaN;
        long bestStep = state.has("best_step") ? state.get("best_step").getAsLong() : -1;
        return withOptimizerOf(new FinetuneRun(params.withTokenizer(checkpoint.resolve(TOKENIZER_FILE)), checkpoint,
                cursor, best, bestStep), checkpoint, state);
    }

    /** How the job runner opens a fine-tune: fresh or from a checkpoint. */
    public static RunOpener opener(FinetuneParameters params) {
        return RunOpener.of(params.output(), () -> start(params), checkpoint -> resume(checkpoint, params));
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

    private static Setup setup(FinetuneParameters p) {
        PipelineOptions pipeline = PipelineOptions.training(p.seqLen(), p.maxPatches(), p.batchSize(), p.seed())
                .withHeldOutEvery(p.heldOutEvery());
        return new Setup(p.tokenizerFile(), p.data(), p.format(), pipeline, p.settings(), p.freezeGlobal());
    }

    @Override
    public String name() {
        return "FINETUNE";
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
        BatchIterator it = heldOutBatches();
        List<HeldOutMetrics.Batch> parts = new ArrayList<>();
        while (it.hasNext() && (params.evalBatches() == 0 || parts.size() < params.evalBatches())) {
            parts.add(trainer().evaluate(it.next()));
        }
        HeldOutMetrics m = HeldOutMetrics.of(stepCount(), parts, trainer().settings().weights().boundary());
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
            exporter(bestDir()).text(BEST_FILE, RunCheckpoints.JSON.toJson(best)).write();
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

    public FinetuneParameters parameters() {
        return params;
    }

    @Override
    protected RunIdentity identity() {
        return params.identity();
    }

    @Override
    protected void addState(JsonObject state) {
        super.addState(state);
        if (!Double.isNaN(bestLoss)) {
            state.addProperty("best_loss", bestLoss);
        }
        state.addProperty("best_step", bestStep);
    }
}
