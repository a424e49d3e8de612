package io.bolmo.train;

import io.bolmo.train.data.TrainingBatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Patches;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.loss.BitsPerByte;
import io.bolmo.train.loss.BoundaryLoss;
import io.bolmo.train.loss.BoundaryMetrics;
import io.bolmo.train.loss.ByteLabels;
import io.bolmo.train.loss.DistillationLoss;
import io.bolmo.train.loss.EncoderLoss;
import io.bolmo.train.loss.FusedCrossEntropy;
import io.bolmo.train.loss.LossMask;
import io.bolmo.train.loss.PatchAlignment;
import io.bolmo.train.loss.StageLoss;
import io.bolmo.train.loss.StageWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward passes and losses of byteifying (model.md §6, §7), composed from the model's components and the loss
 * functions of {@code train.loss}:
 * <ul>
 *   <li>Stage 1: teacher-forced subword boundaries for pooling, depooling and labels; the decoder reads the
 *       frozen teacher's last hidden state at each patch (oracle patch representations); L_enc through the first
 *       global blocks, CE, binarised-KL distillation with whitespace debiasing, boundary BCE.</li>
 *   <li>Stage 2: the predictor's own boundaries end to end through the global model; CE and boundary BCE against
 *       the subword boundaries; with a batch loss mask (chat fine-tuning) over the masked positions only
 *       ({@link LossMask}).</li>
 * </ul>
 * Everything is computed on the manager of the batch arrays; the caller owns autograd and the scope.
 */
public final class ByteifyObjective {

    /** Loss values (scalars, differentiable) and host metrics of one batch. */
    public record Losses(NDArray total, NDArray encoder, NDArray crossEntropy, NDArray distillation,
            NDArray boundary, BoundaryMetrics boundaries, double bitsPerByte, double bytesPerPatch) {}

    private final BolmoModel student;
    private final SubwordSuffixTrie trie;
    private final StageWeights weights;
    private final int encoderLossLayers;
    private final DistillationLoss distillation;

    /**
     * @param encoderLossLayer global layer (1-based) whose output L_enc matches; clamped to the model's depth
     */
    public ByteifyObjective(BolmoModel student, SubwordSuffixTrie trie, StageWeights weights, int encoderLossLayer,
            DistillationLoss distillation) {
        this.student = student;
        this.trie = trie;
        this.weights = weights;
        this.encoderLossLayers = Math.max(1, Math.min(encoderLossLayer, student.global().layers()));
        this.distillation = distillation;
    }

    /** Stage 1 on one batch; {@code teacherSpaceMask} [V_T] marks whitespace-initial teacher tokens. */
    public Losses stage1(NDManager m, TrainingBatch batch, OlmoModel teacher, NDArray teacherSpaceMask) {
        NDArray ids = ints(m, batch.inputIds());
        NDArray lens = ints(m, batch.patchLens());
        NDArray teacherIds = ints(m, batch.teacherIds());
        ByteLabels labels = ByteLabels.of(ids, lens);
        NDArray forced = labels.teacherForcedMask();
        Patches patches = Patches.of(forced);

        OlmoModel.Output t = teacher.forward(teacherIds);
        List<NDArray> teacherHidden = t.hidden();

        NDArray h = student.encoder().forward(ids, subwordIds(m, batch.inputIds()), null);
        NDArray logProbs = student.boundaryPredictor().logProbs(h);
        NDArray z = student.pooling().pool(h, patches);
        int slots = (int) z.getShape().get(1);
        PatchAlignment alignment = PatchAlignment.of(forced, labels.patchIds(), slots,
                (int) teacherIds.getShape().get(1));

        NDArray encoder = null;
        if (weights.encoder() != 0) {
            List<NDArray> studentHidden = new ArrayList<>();
            student.global().forward(z, 0, null, encoderLossLayers, studentHidden);
            float[] layerWeights = new float[encoderLossLayers];
            layerWeights[encoderLossLayers - 1] = EncoderLoss.RELEASED_LAYER_WEIGHTS[EncoderLoss.RELEASED_LAYER_WEIGHTS.length - 1];
            encoder = EncoderLoss.compute(studentHidden, teacherHidden.subList(0, encoderLossLayers), layerWeights,
                    alignment, labels.nPatches()).loss();
        }

        NDArray oracle = gatherPatches(teacherHidden.get(teacherHidden.size() - 1).stopGradient(),
                alignment.alignedIndex());
        NDArray logits = decode(h, oracle, patches);
        NDArray y = labels.stage1Labels();
        NDArray ce = FusedCrossEntropy.compute(logits, y, labels.nBytes()).loss();
        NDArray distill = null;
        if (weights.distill() != 0) {
            distill = distillation.compute(logits.logSoftmax(2), y, labels.patchIds(), lens,
                    t.logits().logSoftmax(2), teacherIds, teacherSpaceMask, labels.nBytes()).loss();
        }
        BoundaryLoss.Result bnd = BoundaryLoss.compute(logProbs, labels.boundaryTargets(), labels.byteMask(), 1,
                labels.nBytes());
        NDArray total = StageLoss.total(weights, encoder, ce, distill, bnd.loss());
        return new Losses(total, encoder, ce, distill, bnd.loss(),
                BoundaryMetrics.of(ByteLabels.predictedMask(logProbs), labels.boundaryTargets(), bnd.mask()),
                BitsPerByte.bitsPerByte(logits, y), bytesPerPatch(labels, patches));
    }

    /** Stage 2 on one batch: no teacher; pooling follows the predictor (model.md §7). */
    public Losses stage2(NDManager m, TrainingBatch batch) {
        NDArray ids = ints(m, batch.inputIds());
        NDArray lens = ints(m, batch.patchLens());
        ByteLabels labels = ByteLabels.of(ids, lens);

        NDArray h = student.encoder().forward(ids, subwordIds(m, batch.inputIds()), null);
        NDArray logProbs = student.boundaryPredictor().logProbs(h);
        // padding bytes never end a patch, so padded rows run no extra global positions
        NDArray predicted = ByteLabels.predictedMask(logProbs).mul(ids.neq(0).toType(DataType.INT32, false));
        Patches patches = Patches.of(predicted);
        NDArray z = student.pooling().pool(h, patches);
        NDArray g = student.global().forward(z, 0, null);
        NDArray logits = decode(h, g, patches);
        NDArray y = labels.fusedLabels(predicted);
        NDArray bndMask = labels.byteMask();
        float nBytes = labels.nBytes();
        float ceNorm = nBytes;
        if (batch.lossMask() != null) { // chat fine-tuning: only the assistant bytes count (LossMask)
            LossMask mask = LossMask.of(labels, batch.lossMask());
            if (mask.count() == 0) {
                throw new IllegalArgumentException("the batch has no byte to learn (its loss mask is empty)");
            }
            y = mask.apply(y);
            bndMask = mask.positions();
            nBytes = mask.count();
            ceNorm = (float) ids.getShape().get(0) * ids.getShape().get(1); // FusedCrossEntropy: → Σ ce / count
        }
        NDArray ce = FusedCrossEntropy.compute(logits, y, ceNorm).loss();
        BoundaryLoss.Result bnd = BoundaryLoss.compute(logProbs, labels.boundaryTargets(), bndMask, 1, nBytes);
        NDArray total = StageLoss.total(weights, null, ce, null, bnd.loss());
        return new Losses(total, null, ce, null, bnd.loss(),
                BoundaryMetrics.of(predicted, labels.boundaryTargets(), bnd.mask()),
                BitsPerByte.bitsPerByte(logits, y), bytesPerPatch(labels, patches));
    }

    private NDArray decode(NDArray h, NDArray g, Patches patches) {
        NDArray u = student.depooling().depool(h, g, patches);
        return student.lmHead().forward(student.decoder().forward(u, null));
    }

    /** Retained-subword ids of every byte (model.md §2.2), or zeros for a model without that table. */
    NDArray subwordIds(NDManager m, int[][] ids) {
        int[][] sub = new int[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            sub[b] = SubwordSuffixTrie.embeddingRows(trie, ids[b]);
        }
        return ints(m, sub);
    }

    /** rows[b, j] = hidden[b, index[b, j]]: [B, T, d] × [B, P] → [B, P, d]. */
    private static NDArray gatherPatches(NDArray hidden, NDArray index) {
        long d = hidden.getShape().get(2);
        NDArray idx = index.toType(DataType.INT64, false).expandDims(2).repeat(2, d);
        return hidden.gather(idx, 1);
    }

    private static double bytesPerPatch(ByteLabels labels, Patches patches) {
        long count = 0;
        for (int b = 0; b < patches.mask().length; b++) {
            count += patches.count(b);
        }
        return count == 0 ? 0 : (double) labels.nBytes() / count;
    }

    static NDArray ints(NDManager m, int[][] rows) {
        int cols = rows[0].length;
        int[] flat = new int[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("ragged batch: row " + i + " has " + rows[i].length
                        + " columns, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return m.create(flat, new Shape(rows.length, cols));
    }

    /**
     * Whitespace-initial teacher tokens (model.md §6.6 debiasing: Ġ, Ċ, ĉ), as a float 0/1 mask over the vocabulary.
     */
    public static NDArray teacherSpaceMask(NDManager m, SubwordVocabulary vocab, int teacherVocab) {
        float[] mask = new float[teacherVocab];
        for (int id = 0; id < Math.min(teacherVocab, vocab.size()); id++) {
            int[] bytes = vocab.token(id) == null ? new int[0] : vocab.byteIds(id);
            if (bytes.length > 0) {
                int first = bytes[0] - BolmoConfig.BYTE_OFFSET;
                mask[id] = first == ' ' || first == '\t' || first == '\n' ? 1f : 0f;
            }
        }
        return m.create(mask);
    }

    BolmoModel student() {
        return student;
    }
}
