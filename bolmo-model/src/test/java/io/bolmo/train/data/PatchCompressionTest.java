package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.CL_EOS;
import static io.bolmo.train.data.DataFixtures.CL_PAD;
import static io.bolmo.train.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.train.loss.ByteLabels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 2 compression (model.md §4.5): BPE and space merge orders, the ratio ramp, and the boundary targets they give.
 */
class PatchCompressionTest {

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

    /** A row of one-byte patches with the given subword ids after BOS, closed by an EOS; bytes 'a' + id. */
    static PatchRow row(int... ids) {
        int n = ids.length + 2;
        int[] bytes = new int[n];
        int[] lens = new int[n + 2];
        int[] sub = new int[n + 2];
        Arrays.fill(sub, CL_PAD);
        bytes[0] = BolmoConfig.BOS_ID;
        sub[0] = CL_EOS;
        for (int i = 0; i < ids.length; i++) {
            bytes[i + 1] = 'a' + ids[i] + BolmoConfig.BYTE_OFFSET;
            sub[i + 1] = ids[i];
        }
        bytes[n - 1] = BolmoConfig.EOS_ID;
        sub[n - 1] = CL_EOS;
        Arrays.fill(lens, 0, n, 1);
        return new PatchRow(bytes, lens, sub, CL_EOS, CL_PAD);
    }

    @Test
    void bpeMergesTheMostFrequentPairFirstEveryOccurrenceLeftToRight() {
        // patches 1..10 = 5 6 5 6 5 6 7 8 5 6, then EOS (11)
        PatchRow r = row(5, 6, 5, 6, 5, 6, 7, 8, 5, 6);
        MergeOrder order = BpeMerges.order(r, 42);
        // (5,6) occurs 4 times: the boundaries after patches 1, 3, 5, 9 go first; then (56,56) occurs twice
        // (overlapping) against once for every other pair: its first occurrence, the boundary after patch 2
        assertThat(Arrays.copyOf(order.boundaries(), 5)).containsExactly(1, 3, 5, 9, 2);
        // BPE runs to the end: every mergeable boundary (after patches 1..9; never BOS|1 nor 10|EOS) exactly once
        assertThat(order.boundaries()).hasSize(9).doesNotHaveDuplicates().containsOnly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void bpeNeverMergesAcrossADocumentEnd() {
        // two documents in one window: 5 6 EOS 5 6 EOS
        PatchRow r = rowWithEos(5, 6, -1, 5, 6);
        MergeOrder order = BpeMerges.order(r, 1);
        assertThat(order.boundaries()).containsExactly(1, 4);
    }

    /** Like {@link #row}, with -1 meaning a document EOS inside the window. */
    static PatchRow rowWithEos(int... ids) {
        PatchRow base = row(ids);
        int[] sub = base.ids().clone();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                sub[i + 1] = CL_EOS;
            }
        }
        int[] bytes = new int[base.patches()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = sub[k] == CL_EOS ? (k == 0 ? BolmoConfig.BOS_ID : BolmoConfig.EOS_ID)
                    : 'a' + sub[k] + BolmoConfig.BYTE_OFFSET;
        }
        return new PatchRow(bytes, base.lens(), sub, CL_EOS, CL_PAD);
    }

    @Test
    void bpeTieBreakIsSeededAndDeterministic() {
        // all pairs occur once: the first merge is a seeded random choice among them
        PatchRow r = row(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(BpeMerges.order(r, 7).boundaries()).containsExactly(BpeMerges.order(r, 7).boundaries());
        List<Integer> firsts = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            firsts.add(BpeMerges.order(r, seed).boundaries()[0]);
        }
        assertThat(firsts.stream().distinct().count()).isGreaterThan(3);
    }

    @Test
    void applyMergesJustEnoughForTheRatio() {
        PatchRow r = row(5, 6, 5, 6, 5, 6, 7, 8, 5, 6); // 12 bytes, 12 patches
        MergeOrder order = BpeMerges.order(r, 42);
        for (double ratio : new double[] {1.0, 1.2, 1.5, 2.0, 3.0, 4.0}) {
            MergeOrder.Merged m = order.apply(r, ratio);
            long bytes = Arrays.stream(m.lens()).sum();
            assertThat(bytes).isEqualTo(12);
            assertThat((double) bytes / m.patches()).isGreaterThanOrEqualTo(ratio);
            assertThat((double) bytes / (m.patches() + 1)).isLessThan(ratio); // one merge fewer falls short
        }
        // the order ends at 3 patches (BOS, the merged tokens, EOS): a higher ratio stops there
        assertThat(order.apply(r, 100).patches()).isEqualTo(3);
        assertThat(order.apply(r, 100).lens()).startsWith(1, 10, 1, 0);
        // each merged patch carries its last subword's id; zero-length patches the PAD id
        assertThat(order.apply(r, 100).ids()).startsWith(CL_EOS, 6, CL_EOS, CL_PAD);
    }

    @Test
    void spaceMergesKeepEveryBoundaryBeforeWhitespaceAndEndAtWords() throws Exception {
        Corpus c = Corpus.open(write(dir.resolve("w.txt"), "Tokenization of unbelievably long words\n"),
                CorpusOptions.DEFAULT);
        TrainingBatch b = BatchIterator.start(c, encoder, new PipelineOptions(96, 40, 1, 3, false, 0, Split.TRAIN, 1))
                .next();
        c.close();
        PatchRow r = new PatchRow(b.inputIds()[0], b.patchLens()[0], b.teacherIds()[0], CL_EOS, CL_PAD);
        MergeOrder order = SpaceMerges.order(r, 3);
        for (int k : order.boundaries()) {
            assertThat(SpaceMerges.isSpace(r.firstByte(k + 1))).isFalse();
        }
        MergeOrder.Merged all = order.apply(r, 1e9);
        // BOS | "Tokenization" | " of" | " unbelievably" | " long" | " words" | EOS
        assertThat(Arrays.copyOf(all.lens(), all.patches()))
                .containsExactly(1, "Tokenization".length(), 3, " unbelievably".length(), 5, 6, 1);
        assertThat(r.patches()).isGreaterThan(all.patches()); // the tokenizer cut some words
    }

    @Test
    void theRatioRampsLinearlyFromStartToTargetThenStays() {
        PatchCompression c = new PatchCompression(PatchCompression.Kind.BPE, 2.0, 6.0, 100);
        assertThat(c.ratioAt(0, 3.0)).isEqualTo(2.0);
        assertThat(c.ratioAt(25, 3.0)).isEqualTo(3.0);
        assertThat(c.ratioAt(100, 3.0)).isEqualTo(6.0);
        assertThat(c.ratioAt(1000, 3.0)).isEqualTo(6.0);
        PatchCompression own = PatchCompression.bpe(6.0, 100);
        assertThat(own.ratioAt(0, 2.5)).isEqualTo(2.5);
        assertThat(own.ratioAt(50, 2.0)).isEqualTo(4.0);
        assertThat(PatchCompression.NONE.ratioAt(50, 2.0)).isEqualTo(2.0);
    }

    @Test
    void atTheStartRatioNothingIsMerged() {
        TrainingBatch b = batch(4);
        for (PatchCompression c : List.of(PatchCompression.bpe(6.0, 10), PatchCompression.space(6.0, 10),
                new PatchCompression(PatchCompression.Kind.BPE, 1.0, 6.0, 10), PatchCompression.NONE)) {
            TrainingBatch same = new PatchCompressor(c, CL_EOS, CL_PAD, 1).apply(b, 0);
            assertThat(same.patchLens()).as(c.toString()).isDeepEqualTo(b.patchLens());
            assertThat(same.teacherIds()).as(c.toString()).isDeepEqualTo(b.teacherIds());
            assertThat(same.realTokens()).isEqualTo(b.realTokens());
        }
    }

    @Test
    void compressedBatchesReachTheRatioAndTheirTargetsAreTheMergedPatchEnds() {
        TrainingBatch b = batch(4);
        for (PatchCompression c : List.of(PatchCompression.bpe(5.0, 10), PatchCompression.space(5.0, 10))) {
            TrainingBatch half = new PatchCompressor(c, CL_EOS, CL_PAD, 1).apply(b, 5);
            TrainingBatch full = new PatchCompressor(c, CL_EOS, CL_PAD, 1).apply(b, 10);
            TrainingBatch again = new PatchCompressor(c, CL_EOS, CL_PAD, 1).apply(b, 10);
            assertThat(again.patchLens()).isDeepEqualTo(full.patchLens()); // deterministic
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                int[][] before = targets(m, b);
                for (int r = 0; r < b.batchSize(); r++) {
                    PatchRow orig = new PatchRow(b.inputIds()[r], b.patchLens()[r], b.teacherIds()[r], CL_EOS, CL_PAD);
                    double own = orig.ratio();
                    double mid = own + (5.0 - own) * 0.5;
                    assertThat(ratio(full, r)).as(c + " row " + r).isGreaterThanOrEqualTo(
                            Math.min(5.0, maxRatio(c, orig)));
                    assertThat(ratio(half, r)).isGreaterThanOrEqualTo(Math.min(mid, maxRatio(c, orig)));
                    assertThat(ratio(half, r)).isLessThanOrEqualTo(ratio(full, r));
                    assertThat(Arrays.stream(full.patchLens()[r]).sum()).isEqualTo(Arrays.stream(b.patchLens()[r]).sum());
                }
                int[][] after = targets(m, full);
                for (int r = 0; r < b.batchSize(); r++) {
                    // β* = 1 exactly at the last byte of every merged patch (none before an EOS, BOS always)
                    int[] expected = new int[after[r].length];
                    int end = 0;
                    for (int len : full.patchLens()[r]) {
                        if (len > 0) {
                            end += len;
                            expected[end - 1] = 1;
                        }
                    }
                    for (int t = 0; t + 1 < expected.length; t++) {
                        if (b.inputIds()[r][t + 1] == BolmoConfig.EOS_ID) {
                            expected[t] = 0;
                        }
                    }
                    expected[0] = 1;
                    assertThat(after[r]).isEqualTo(expected);
                    for (int t = 0; t < after[r].length; t++) {
                        assertThat(after[r][t] <= before[r][t]).as("merging only removes boundaries").isTrue();
                    }
                }
            }
            assertThat(full.realTokens()).isLessThan(b.realTokens());
        }
        // a chat batch's loss mask travels with the merged patches
        int[][] mask = new int[b.batchSize()][b.seqLen()];
        TrainingBatch masked = new TrainingBatch(b.inputIds(), b.patchLens(), b.teacherIds(), b.realRows(),
                b.realBytes(), b.realTokens(), b.next(), mask);
        assertThat(new PatchCompressor(PatchCompression.bpe(5.0, 10), CL_EOS, CL_PAD, 1).apply(masked, 10).lossMask())
                .isSameAs(mask);
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> PatchCompression.Kind.parse("entropy"))
                .hasMessage("compression = 'entropy' is invalid; allowed: none, bpe, space");
        assertThatThrownBy(() -> PatchCompression.bpe(1.0, 10))
                .hasMessage("compression-target = 1.0 is invalid: must be > 1 (bytes per patch)");
        assertThatThrownBy(() -> PatchCompression.bpe(4.0, 0))
                .hasMessage("compression-steps = 0 is invalid: must be >= 1");
        assertThatThrownBy(() -> new PatchCompression(PatchCompression.Kind.SPACE, 5.0, 4.0, 10))
                .hasMessageContaining("compression-start = 5.0 is invalid: must be in [1, compression-target = 4.0]");
        assertThatThrownBy(() -> new PatchCompression(PatchCompression.Kind.NONE, 0, 4.0, 0))
                .hasMessageContaining("need compression = bpe or space");
    }

    private static double maxRatio(PatchCompression c, PatchRow r) {
        MergeOrder all = new PatchCompressor(c, CL_EOS, CL_PAD, 1).order(r);
        return (double) r.totalBytes() / (r.patches() - all.size());
    }

    private static double ratio(TrainingBatch b, int r) {
        int[] lens = b.patchLens()[r];
        return (double) Arrays.stream(lens).sum() / Arrays.stream(lens).filter(l -> l > 0).count();
    }

    private static int[][] targets(NDManager m, TrainingBatch b) {
        ByteLabels l = ByteLabels.of(m.create(flat(b.inputIds()), new ai.djl.ndarray.types.Shape(b.batchSize(),
                b.seqLen())), m.create(flat(b.patchLens()), new ai.djl.ndarray.types.Shape(b.batchSize(),
                b.maxPatches())));
        float[] f = l.boundaryTargets().toFloatArray();
        int[][] out = new int[b.batchSize()][b.seqLen()];
        for (int i = 0; i < f.length; i++) {
            out[i / b.seqLen()][i % b.seqLen()] = (int) f[i];
        }
        return out;
    }

    private static int[] flat(int[][] rows) {
        return Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray();
    }

    private TrainingBatch batch(int rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("The Europarliamentarians reconsidered counterproductive deinstitutionalisation amendment ")
                    .append(i).append(" about intergovernmentalism.\n");
        }
        try (Corpus c = Corpus.open(write(dir.resolve("docs.txt"), sb.toString()), CorpusOptions.DEFAULT)) {
            return BatchIterator.start(c, encoder, new PipelineOptions(128, 64, rows, 3, false, 0, Split.TRAIN, 1))
                    .next();
        }
    }
}
