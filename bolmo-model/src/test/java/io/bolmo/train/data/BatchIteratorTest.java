package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.CL_EOS;
import static io.bolmo.train.data.DataFixtures.CL_PAD;
import static io.bolmo.train.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.train.loss.ByteLabels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchIteratorTest {

    static HfSubwordEncoder hf;
    static ByteDocumentEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        hf = HfSubwordEncoder.open(DataFixtures.CL100K);
        encoder = new ByteDocumentEncoder(hf, DataFixtures.CL100K_VOCAB);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    private Corpus corpus(int docs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            sb.append("Document number ").append(i).append(" says hello ").append("again ".repeat(i % 5)).append('\n');
        }
        return Corpus.open(write(dir.resolve("docs.txt"), sb.toString()), CorpusOptions.DEFAULT);
    }

    @Test
    void truncatesAtTokenBoundariesAndContinuesAfterAFreshBos() {
        // "The cat." = The(3) | Ġc(2) | at(2) | .(1) + EOS; L = 8, P = 4 fit BOS + The + Ġc + at exactly; "." and
        // its EOS start window 2 after a fresh BOS.
        Path f = write(dir.resolve("one.txt"), "The cat.\n");
        PipelineOptions o = new PipelineOptions(8, 4, 2, 7, false, 0, Split.TRAIN, 1);
        try (Corpus c = Corpus.open(f, CorpusOptions.DEFAULT)) {
            TrainingBatch b = BatchIterator.start(c, encoder, o).next();
            assertThat(b.inputIds()).isDeepEqualTo(new int[][] {
                {1, 88, 108, 105, 36, 103, 101, 120},
                {1, 50, 1, 0, 0, 0, 0, 0}});
            assertThat(b.patchLens()).isDeepEqualTo(new int[][] {{1, 3, 2, 2}, {1, 1, 1, 0}});
            assertThat(b.teacherIds()).isDeepEqualTo(new int[][] {
                {CL_EOS, 791, 272, 266}, {CL_EOS, 13, CL_EOS, CL_PAD}});
            assertThat(b.realBytes()).isEqualTo(11);
            assertThat(b.realTokens()).isEqualTo(5);
        }
    }

    @Test
    void byteLabelsPutBoundaryTargetsAtTokenEndsAndMergeTheLastTokenWithEos() {
        Path f = write(dir.resolve("two.txt"), "The cat.\nHi you\n");
        PipelineOptions o = new PipelineOptions(24, 10, 1, 0, false, 0, Split.TRAIN, 1);
        try (Corpus c = Corpus.open(f, CorpusOptions.DEFAULT); NDManager m = NDManager.newBaseManager()) {
            TrainingBatch b = BatchIterator.start(c, encoder, o).next();
            // BOS | The | Ġc | at | . | EOS | H | i | Ġyou | EOS | pad…
            assertThat(b.inputIds()[0]).containsExactly(1, 88, 108, 105, 36, 103, 101, 120, 50, 1, 76, 109, 36, 125,
                    115, 121, 1, 0, 0, 0, 0, 0, 0, 0);
            assertThat(b.patchLens()[0]).containsExactly(1, 3, 2, 2, 1, 1, 1, 1, 4, 1);
            assertThat(b.teacherIds()[0]).containsExactly(CL_EOS, 791, 272, 266, 13, CL_EOS, 39, 72, 499, CL_EOS);
            ByteLabels labels = ByteLabels.of(m.create(b.inputIds()), m.create(b.patchLens()));
            // token ends at 3 (The), 5 (Ġc), 7 (at), 9 (EOS, with "." merged: no boundary at 8), 10 (H), 11 (i),
            // 16 (EOS, with Ġyou merged: none at 15); BOS at 0
            float[] expected = new float[24];
            for (int t : new int[] {0, 3, 5, 7, 9, 10, 11, 16}) {
                expected[t] = 1;
            }
            assertThat(labels.boundaryTargets().toFloatArray()).containsExactly(expected);
            assertThat(labels.nPatches()).isEqualTo(9);
            assertThat(labels.nBytes()).isEqualTo(16);
        }
    }

    @Test
    void aTokenThatCannotFitAnEmptyWindowIsAnError() {
        Path f = write(dir.resolve("w.txt"), "The cat.\n");
        PipelineOptions o = new PipelineOptions(3, 8, 1, 0, false, 0, Split.TRAIN, 1);
        try (Corpus c = Corpus.open(f, CorpusOptions.DEFAULT)) {
            assertThatThrownBy(() -> BatchIterator.start(c, encoder, o).next())
                    .isInstanceOf(CorpusException.class)
                    .hasMessageStartingWith(f + ":1: subword token 0 (3 bytes");
        }
    }

    @Test
    void resumingFromASavedCursorYieldsTheSameBatches() {
        PipelineOptions o = new PipelineOptions(64, 20, 3, 42, true, 0, Split.TRAIN, 0);
        try (Corpus c = corpus(25)) {
            BatchIterator full = BatchIterator.start(c, encoder, o);
            List<TrainingBatch> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // several epochs: ~25 docs of ~40 bytes per ~64-byte window
                all.add(full.next());
            }
            assertThat(all.get(39).next().epoch()).isGreaterThanOrEqualTo(2);
            for (int k : new int[] {0, 1, 7, 13, 30}) {
                DataCursor saved = DataCursor.fromJson(all.get(k).next().toJson());
                assertThat(saved).isEqualTo(all.get(k).next());
                BatchIterator resumed = BatchIterator.resume(c, encoder, o.withShuffle(true), saved);
                for (int i = k + 1; i < 40; i++) {
                    TrainingBatch b = resumed.next();
                    assertThat(b.inputIds()).isDeepEqualTo(all.get(i).inputIds());
                    assertThat(b.patchLens()).isDeepEqualTo(all.get(i).patchLens());
                    assertThat(b.teacherIds()).isDeepEqualTo(all.get(i).teacherIds());
                    assertThat(b.next()).isEqualTo(all.get(i).next());
                }
            }
            // the cursor map round-trips through a long-valued context with a prefix
            var ctx = new java.util.HashMap<String, Object>();
            all.get(5).next().toMap().forEach((k, v) -> ctx.put("data." + k, v));
            assertThat(DataCursor.fromMap(ctx, "data.")).isEqualTo(all.get(5).next());
        }
    }

    @Test
    void epochsAreSeededPermutationsOfTheSplit() {
        PipelineOptions o = new PipelineOptions(64, 20, 1, 42, true, 0, Split.TRAIN, 0);
        try (Corpus c = corpus(25)) {
            int[] e0 = EpochOrder.of(c, o, 0);
            int[] e1 = EpochOrder.of(c, o, 1);
            assertThat(e0).containsExactlyInAnyOrder(IntStream.range(0, 25).toArray());
            assertThat(e1).containsExactlyInAnyOrder(IntStream.range(0, 25).toArray());
            assertThat(e0).isNotEqualTo(e1);
            assertThat(EpochOrder.of(c, o, 0)).isEqualTo(e0);
            assertThat(EpochOrder.of(c, o.withShuffle(false), 3)).isEqualTo(IntStream.range(0, 25).toArray());
        }
    }

    @Test
    void heldOutSplitIsDisjointCompleteAndStable() {
        PipelineOptions train = PipelineOptions.training(64, 20, 2, 1).withHeldOutEvery(4).withEpochs(1);
        try (Corpus c = corpus(60)) {
            Set<String> tr = texts(c, train);
            Set<String> ho = texts(c, train.heldOut());
            assertThat(ho).isNotEmpty().doesNotContainAnyElementsOf(tr);
            Set<String> union = new HashSet<>(tr);
            union.addAll(ho);
            assertThat(union).containsExactlyInAnyOrderElementsOf(DataFixtures.texts(c));
            // content-hash based: the same documents are held out when the corpus is reordered and re-split
            List<String> reversed = new ArrayList<>(DataFixtures.texts(c));
            java.util.Collections.reverse(reversed);
            try (Corpus r = Corpus.open(write(dir.resolve("rev/docs.txt"), String.join("\n", reversed)),
                    CorpusOptions.DEFAULT)) {
                assertThat(texts(r, train.heldOut())).isEqualTo(ho);
            }
            // training batches never contain a held-out document's bytes
            BatchIterator it = BatchIterator.start(c, encoder, train);
            StringBuilder seen = new StringBuilder();
            while (it.hasNext()) {
                for (int[] row : it.next().inputIds()) {
                    seen.append(io.bolmo.tokenize.ByteTokenizer.decode(row, true));
                }
            }
            assertThat(seen.toString()).contains(tr.iterator().next());
            for (String h : ho) {
                assertThat(seen.toString()).doesNotContain(h);
            }
        }
    }

    @Test
    void anEmptySplitIsRejected() {
        try (Corpus c = corpus(3)) {
            PipelineOptions o = PipelineOptions.training(64, 20, 1, 0).withHeldOutEvery(1);
            assertThatThrownBy(() -> BatchIterator.start(c, encoder, o))
                    .hasMessageContaining("the TRAIN split of the corpus has no documents");
        }
    }

    private static Set<String> texts(Corpus c, PipelineOptions o) {
        Set<String> s = new HashSet<>();
        for (int d : EpochOrder.of(c, o, 0)) {
            s.add(c.text(d));
        }
        return s;
    }
}
