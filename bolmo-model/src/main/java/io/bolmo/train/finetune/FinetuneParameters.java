package io.bolmo.train.finetune;

import io.bolmo.config.BolmoConfig;
import io.bolmo.train.InvalidParameterException;
import io.bolmo.train.RunIdentity;
import io.bolmo.train.SizeLimits;
import io.bolmo.train.Stage;
import io.bolmo.train.TrainingSettings;
import io.bolmo.train.data.DataFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a fine-tune needs: the Bolmo model to start from, the data and its format, the output directory and
 * the hyper-parameters. The objective is Stage 2's (model.md §7: CE on the fused byte labels + 4 × boundary BCE against
 * the subword tokenizer's boundaries), on every byte of plain text or on the assistant turns of chats. Values are
 * checked on construction, files by {@link #checkFiles}.
 *
 * @param model              the Bolmo checkpoint directory to start from ({@code config.json}, safetensors)
 * @param tokenizer          the subword {@code tokenizer.json}; null: the model's own (its config's
 *                           {@code tokenizer_config.original_identifier}, else {@code model/tokenizer.json})
 * @param data               data files or directories
 * @param format             plain text or chat JSONL
 * @param output             the run's directory ({@code checkpoints/}, {@code best/}, {@code final/})
 * @param steps              optimizer steps
 * @param batchSize          B, windows per step
 * @param seqLen             L, bytes per window
 * @param maxPatches         P, subword tokens per window (≤ L)
 * @param peakLr             peak LR (linear warm-up 10 %, linear decay to 0)
 * @param globalLrMultiplier LR of the global blocks relative to {@code peakLr} (ignored when frozen)
 * @param freezeGlobal       train the local models only (the global transformer stays as loaded)
 * @param seed               data order
 * @param heldOutEvery       documents whose content hash ≡ 0 mod this are held out for evaluation (0: none)
 * @param evalBatches        at most this many held-out batches per evaluation (0: the whole held-out split)
 */
public record FinetuneParameters(Path model, Path tokenizer, List<Path> data, DataFormat format, Path output,
        long steps, int batchSize, int seqLen, int maxPatches, double peakLr, double globalLrMultiplier,
        boolean freezeGlobal, long seed, int heldOutEvery, int evalBatches) {

    public FinetuneParameters {
        check(model != null, "model", null, "the Bolmo checkpoint directory is required");
        check(data != null && !data.isEmpty(), "data", data, "at least one file or directory is required");
        Objects.requireNonNull(format, "format");
        check(output != null, "output", null, "an output directory is required");
        check(steps > 0, "steps", steps, "must be > 0");
        InvalidParameterException.checkRange(batchSize, 1, SizeLimits.MAX_BATCH_SIZE, "batch-size");
        check(seqLen >= 3 && seqLen <= SizeLimits.MAX_SEQ_LEN, "seq-len", seqLen,
                "must be in [3, " + SizeLimits.MAX_SEQ_LEN + "] (BOS, at least one byte, EOS)");
        SizeLimits.checkPositions(batchSize, seqLen);
        check(maxPatches >= 3 && maxPatches <= seqLen, "max-patches", maxPatches,
                "must be in [3, seq-len = " + seqLen + "]");
        check(peakLr > 0 && Double.isFinite(peakLr), "lr", peakLr, "must be > 0");
        check(globalLrMultiplier >= 0 && Double.isFinite(globalLrMultiplier), "global-lr-multiplier",
                globalLrMultiplier, "must be >= 0");
        check(heldOutEvery >= 0, "held-out-every", heldOutEvery, "must be >= 0");
        check(evalBatches >= 0, "eval-batches", evalBatches, "must be >= 0");
        data = List.copyOf(data);
    }

    /** The Stage 2 recipe (warm-up 10 %, clip 0.5, L_CE + 4·L_bnd) with this run's steps, LRs and seed. */
    public TrainingSettings settings() {
        TrainingSettings r = TrainingSettings.stage2(steps);
        return new TrainingSettings(Stage.STAGE2, steps, peakLr, globalLrMultiplier, r.warmupFraction(),
                r.maxGradNorm(), r.weights(), r.encoderLossLayer(), r.distillation(), seed);
    }

    /** What every checkpoint of the fine-tune records and a resume must match. */
    public RunIdentity identity() {
        return new RunIdentity().add("total_steps", "steps", steps).add("seed", "seed", seed)
                .add("batch_size", "batch-size", batchSize).add("seq_len", "seq-len", seqLen)
                .add("max_patches", "max-patches", maxPatches).add("data_format", "format", format.id())
                .add("freeze_global", "freeze-global", freezeGlobal).add("held_out_every", "held-out-every",
                        heldOutEvery);
    }

    public FinetuneParameters withTokenizer(Path t) {
        return new FinetuneParameters(model, t, data, format, output, steps, batchSize, seqLen, maxPatches, peakLr,
                globalLrMultiplier, freezeGlobal, seed, heldOutEvery, evalBatches);
    }

    public FinetuneParameters withModel(Path m) {
        return new FinetuneParameters(m, tokenizer, data, format, output, steps, batchSize, seqLen, maxPatches, peakLr,
                globalLrMultiplier, freezeGlobal, seed, heldOutEvery, evalBatches);
    }

    /** The tokenizer file the run uses (the explicit one, else the one the model directory refers to). */
    public Path tokenizerFile() {
        if (tokenizer != null) {
            return tokenizer;
        }
        String id = BolmoConfig.load(model.resolve("config.json")).subwordVocabulary();
        return io.bolmo.tokenize.SubwordVocabulary.locate(model, id, null);
    }

    /** The model directory with its {@code config.json}, the tokenizer and every data path exist. */
    public void checkFiles() {
        check(Files.isDirectory(model), "model", model, "no such directory");
        check(Files.isRegularFile(model.resolve("config.json")), "model", model,
                "has no config.json (expected a Bolmo Hugging Face model directory)");
        if (tokenizer != null) {
            check(Files.isRegularFile(tokenizer), "tokenizer", tokenizer, "no such file (expected a tokenizer.json)");
        } else {
            try {
                tokenizerFile();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("tokenizer is invalid: the model's subword tokenizer was not found ("
                        + e.getMessage() + "); give tokenizer=PATH/tokenizer.json");
            }
        }
        for (Path p : data) {
            check(Files.exists(p), "data", p, "no such file or directory");
        }
    }

    static void check(boolean ok, String name, Object value, String rule) {
        InvalidParameterException.check(ok, name, value, rule);
    }
}
