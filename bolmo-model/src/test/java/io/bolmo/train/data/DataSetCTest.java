package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.bolmo.train.loss.ByteLabels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing reproduces golden-losses data set C (B = 2, L = 16, P = 7) exactly, and ByteLabels agrees on it. */
class DataSetCTest {

    @TempDir
    Path dir;

    @Test
    void packedBatchEqualsDataSetC() throws IOException {
        // Row 0 = "The cat." + EOS + the start of doc 2; row 1 continues doc 2 after a fresh BOS until "Again"+EOS
        // (6 bytes) no longer fits the 3 bytes left.
        Path f = write(dir.resolve("c.jsonl"),
                "{\"text\":\"The cat.\"}\n{\"text\":\"Hi youHello world\\nAgain\"}\n");
        ByteDocumentEncoder enc = new ByteDocumentEncoder(DataFixtures::dataSetCEncode, DataFixtures.dataSetCVocab());
        PipelineOptions o = new PipelineOptions(16, 7, 2, 0, false, 0, Split.TRAIN, 1);
        try (Corpus c = Corpus.open(f, CorpusOptions.DEFAULT); NDManager m = NDManager.newBaseManager()) {
            BatchIterator it = BatchIterator.start(c, enc, o);
            TrainingBatch b = it.next();
            Map<String, NDArray> g = golden(m);
            assertThat(b.inputIds()).isDeepEqualTo(rows(g.get("labels.input_ids")));
            assertThat(b.patchLens()).isDeepEqualTo(rows(g.get("labels.patch_lens")));
            assertThat(b.teacherIds()).isDeepEqualTo(rows(g.get("alm_padded.teacher_input_ids")));
            assertThat(b.realRows()).isEqualTo(2);
            assertThat(b.realBytes()).isEqualTo(29);
            assertThat(b.realTokens()).isEqualTo(10); // the golden N_patches

            ByteLabels labels = ByteLabels.of(m.create(b.inputIds()), m.create(b.patchLens()));
            assertThat(labels.boundaryTargets().toFloatArray())
                    .containsExactly(g.get("labels.boundary_targets").toFloatArray());
            assertThat(labels.stage1Labels().toIntArray())
                    .containsExactly(g.get("labels.stage1_labels_fused").toIntArray());
            assertThat(labels.nPatches()).isEqualTo(10);

            // the rest of doc 2: "Again" + EOS, then the pass is over and the batch is padded with an empty row
            TrainingBatch last = it.next();
            assertThat(last.inputIds()[0]).containsExactly(1, 69, 107, 101, 109, 114, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            assertThat(last.patchLens()[0]).containsExactly(1, 5, 1, 0, 0, 0, 0);
            assertThat(last.teacherIds()[0]).containsExactly(39, 11, 39, 38, 38, 38, 38);
            assertThat(last.inputIds()[1]).containsOnly(0);
            assertThat(last.patchLens()[1]).containsOnly(0);
            assertThat(last.teacherIds()[1]).containsOnly(38);
            assertThat(last.realRows()).isEqualTo(1);
            assertThat(it.hasNext()).isFalse();
        }
    }

    private static Map<String, NDArray> golden(NDManager m) throws IOException {
        Map<String, NDArray> out = new HashMap<>();
        try (InputStream in = DataSetCTest.class.getResourceAsStream("/golden-losses/cases.safetensors")) {
            for (NDArray a : NDList.decode(m, in)) {
                out.put(a.getName(), a);
            }
        }
        return out;
    }

    private static int[][] rows(NDArray a) {
        int cols = (int) a.getShape().get(1);
        int[] flat = a.toIntArray();
        int[][] r = new int[flat.length / cols][];
        for (int i = 0; i < r.length; i++) {
            r[i] = java.util.Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return r;
    }
}
