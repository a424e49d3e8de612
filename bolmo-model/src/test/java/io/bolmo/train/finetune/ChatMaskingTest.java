package io.bolmo.train.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.ByteDocumentEncoder;
import io.bolmo.train.data.ChatDocumentEncoder;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import io.bolmo.train.loss.BoundaryLoss;
import io.bolmo.train.loss.ByteLabels;
import io.bolmo.train.loss.FusedCrossEntropy;
import io.bolmo.train.loss.LossMask;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.HfSubwordEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat fine-tuning puts its loss (CE and boundary BCE) on the assistant turns' bytes and closing marker only. */
class ChatMaskingTest {

    @TempDir
    Path dir;

    static final String CHAT = "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"Repeat: hello\"},{\"role\":\"assistant\",\"content\":\"Answer: hello\"},"
            + "{\"role\":\"user\",\"content\":\"And é?\"},{\"role\":\"assistant\",\"content\":\"Answer: é\"}]}";

    TrainingBatch batch() throws Exception {
        Path data = dir.resolve("chat.jsonl");
        Files.writeString(data, CHAT + "\n" + CHAT.replace("hello", "world") + "\n");
        SubwordVocabulary vocab = SubwordVocabulary.load(TinyBolmo.tokenizer());
        try (HfSubwordEncoder hf = HfSubwordEncoder.open(TinyBolmo.tokenizer());
                Corpus corpus = Corpus.open(data, CorpusOptions.JSON_OBJECTS)) {
            ChatDocumentEncoder enc = new ChatDocumentEncoder(new ByteDocumentEncoder(hf, vocab), ChatTemplate.OLMO);
            PipelineOptions o = PipelineOptions.training(256, 128, 2, 1).withHeldOutEvery(0).withShuffle(false);
            return BatchIterator.start(corpus, enc, o).next();
        }
    }

    @Test
    void theMaskCoversExactlyTheAssistantContentAndItsClosingMarker() throws Exception {
        TrainingBatch b = batch();
        assertThat(b.lossMask()).isNotNull();
        // each conversation (~200 bytes) fits a 256-byte window but two do not: kept whole, one per row
        String[] words = {"hello", "world"};
        for (int r = 0; r < 2; r++) {
            ByteArrayOutputStream masked = new ByteArrayOutputStream();
            for (int t = 0; t < b.seqLen(); t++) {
                if (b.lossMask()[r][t] == 1) {
                    masked.write(ByteTokenizer.byteOf(b.inputIds()[r][t]));
                }
            }
            assertThat(masked.toString(StandardCharsets.UTF_8))
                    .isEqualTo("Answer: " + words[r] + "<|im_end|>\nAnswer: é<|im_end|>\n");
            assertThat(decodeRow(b, r)).startsWith("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n")
                    .endsWith("<|im_start|>assistant\nAnswer: é<|im_end|>\n");
        }
    }

    @Test
    void maskedCeAndBceAreTheMeansOfThePerPositionTermsOverTheAssistantPositions() throws Exception {
        TrainingBatch b = batch();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray ids = ints(m, b.inputIds());
            ByteLabels labels = ByteLabels.of(ids, ints(m, b.patchLens()));
            Random rnd = new Random(3);
            int rows = b.batchSize();
            int len = b.seqLen();
            float[] l = new float[rows * len * 640];
            for (int i = 0; i < l.length; i++) {
                l[i] = (float) rnd.nextGaussian();
            }
            NDArray logits = m.create(l, new Shape(rows, len, 640));
            float[] lp = new float[rows * len];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = (float) -Math.abs(rnd.nextGaussian());
            }
            NDArray logProbs = m.create(lp, new Shape(rows, len));
            NDArray predicted = ByteLabels.predictedMask(logProbs);
            NDArray y = labels.fusedLabels(predicted);

            LossMask mask = LossMask.of(labels, b.lossMask());
            NDArray yMasked = mask.apply(y);
            double ce = FusedCrossEntropy.compute(logits, yMasked, (float) rows * len).loss().getFloat();
            double bnd = BoundaryLoss.compute(logProbs, labels.boundaryTargets(), mask.positions(), 1, mask.count())
                    .loss().getFloat();

            float[] cePos = FusedCrossEntropy.compute(logits, y).perPosition().toFloatArray();
            float[] bcePos = BoundaryLoss.elementwise(logProbs, labels.boundaryTargets()).toFloatArray();
            int[] yAll = y.toType(DataType.INT32, false).toIntArray();
            int[] yM = yMasked.toType(DataType.INT32, false).toIntArray();
            double ceSum = 0;
            double bceSum = 0;
            int n = 0;
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t + 1 < len; t++) {
                    int i = r * len + t;
                    boolean assistantNext = b.lossMask()[r][t + 1] == 1 && b.inputIds()[r][t + 1] != 0;
                    // a masked label is the unmasked one exactly where the predicted byte is an assistant byte
                    assertThat(yM[i]).isEqualTo(assistantNext ? yAll[i] : ByteLabels.IGNORE_INDEX);
                    if (assistantNext) {
                        ceSum += cePos[i];
                        bceSum += bcePos[i];
                        n++;
                    }
                }
            }
            assertThat(mask.count()).isEqualTo(n).isPositive();
            assertThat(ce).isCloseTo(ceSum / n, within(1e-4));
            assertThat(bnd).isCloseTo(bceSum / n, within(1e-4));
        }
    }

    private static String decodeRow(TrainingBatch b, int r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : b.inputIds()[r]) {
            int v = ByteTokenizer.byteOf(id);
            if (v >= 0) {
                out.write(v);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static NDArray ints(NDManager m, int[][] rows) {
        int cols = rows[0].length;
        int[] flat = new int[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return m.create(flat, new Shape(rows.length, cols));
    }
}
