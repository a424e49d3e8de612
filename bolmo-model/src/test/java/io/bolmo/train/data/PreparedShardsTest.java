package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.tokenize.HfSubwordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepared shards against the corpus they were made from: the same examples and index document by document, the
 * same batches under any seed and window, and clear errors for what is not a complete set of them.
 */
class PreparedShardsTest {

    static HfSubwordEncoder hf;
    static DocumentEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        hf = HfSubwordEncoder.open(DataFixtures.CL100K);
        encoder = DataFormat.TEXT.encoder(hf, DataFixtures.CL100K_VOCAB);
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    /** Two files (the second empty of documents but for blanks) so the file index matters. */
    private List<Path> corpusFiles() {
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < 23; i++) {
            a.append("Line ").append(i).append(" of the first file, ").append("naïve café ".repeat(i % 4)).append('\n');
        }
        StringBuilder b = new StringBuilder("\n");
        for (int i = 0; i < 9; i++) {
            b.append("Zweite Datei, Zeile ").append(i).append(" — über Häuser\n");
        }
        return List.of(write(dir.resolve("c/a.txt"), a.toString()), write(dir.resolve("c/b.txt"), b.toString()));
    }

    private Path prepare(List<Path> files, int shards) {
        Path out = dir.resolve("shards");
        try (Corpus c = Corpus.open(files, CorpusOptions.DEFAULT)) {
            int n = c.documentCount();
            for (int k = 0; k < shards; k++) {
                PreparedShards.writeShard(out, k, c, n * k / shards, n * (k + 1) / shards, encoder);
            }
            PreparedShards.writeManifest(out, shards, DataFormat.TEXT, DataFixtures.CL100K, c);
        }
        return out;
    }

    @Test
    void shardsHoldTheCorpusExamplesAndIndex() {
        List<Path> files = corpusFiles();
        Path shards = prepare(files, 3);
        try (Corpus c = Corpus.open(files, CorpusOptions.DEFAULT);
                TrainingDocuments s = TrainingDocuments.open(List.of(shards), DataFormat.TEXT, encoder,
                        DataFixtures.CL100K)) {
            assertThat(s).isInstanceOf(PreparedShards.class);
            assertThat(s.documentCount()).isEqualTo(c.documentCount()).isEqualTo(32);
            assertThat(s.fileCount()).isEqualTo(2);
            for (int f = 0; f <= 2; f++) {
                assertThat(s.fileStart(f)).isEqualTo(c.fileStart(f));
            }
            for (int d = 0; d < c.documentCount(); d++) {
                ByteExample want = encoder.encode(c.text(d));
                ByteExample got = s.example(d);
                assertThat(got.byteIds()).isEqualTo(want.byteIds());
                assertThat(got.patchLens()).isEqualTo(want.patchLens());
                assertThat(got.teacherIds()).isEqualTo(want.teacherIds());
                assertThat(got.lossMask()).isNull();
                assertThat(s.hash(d)).isEqualTo(c.hash(d));
                assertThat(s.describe(d)).startsWith(c.describe(d));
            }
        }
    }

    @Test
    void aRunGetsTheSameBatchesFromShardsAsFromTheCorpus() {
        List<Path> files = corpusFiles();
        Path shards = prepare(files, 2);
        PipelineOptions o = PipelineOptions.training(48, 16, 3, 11).withHeldOutEvery(5);
        try (Corpus c = Corpus.open(files, CorpusOptions.DEFAULT);
                TrainingDocuments s = TrainingDocuments.open(List.of(shards), DataFormat.TEXT, encoder,
                        DataFixtures.CL100K)) {
            BatchIterator fromCorpus = BatchIterator.start(c, encoder, o);
            BatchIterator fromShards = BatchIterator.start(s, o);
            for (int i = 0; i < 40; i++) { // past several epochs
                TrainingBatch x = fromCorpus.next();
                TrainingBatch y = fromShards.next();
                assertThat(y.inputIds()).isEqualTo(x.inputIds());
                assertThat(y.patchLens()).isEqualTo(x.patchLens());
                assertThat(y.teacherIds()).isEqualTo(x.teacherIds());
                assertThat(y.next()).isEqualTo(x.next());
            }
        }
    }

    @Test
    void whatIsNotACompleteShardSetIsNamed() throws Exception {
        List<Path> files = corpusFiles();
        Path shards = prepare(files, 2);
        Path half = dir.resolve("half");
        Files.createDirectories(half);
        Files.copy(shards.resolve("shard-00000.safetensors"), half.resolve("shard-00000.safetensors"));
        assertThatThrownBy(() -> TrainingDocuments.open(List.of(half), DataFormat.TEXT, encoder, DataFixtures.CL100K))
                .isInstanceOf(CorpusException.class).hasMessageContaining(half.toString())
                .hasMessageContaining("no manifest.json");
        Path otherTokenizer = write(dir.resolve("other/tokenizer.json"), Files.readString(DataFixtures.CL100K) + " ");
        assertThatThrownBy(() -> TrainingDocuments.open(List.of(shards), DataFormat.TEXT, encoder, otherTokenizer))
                .isInstanceOf(CorpusException.class).hasMessageContaining("another tokenizer");
        assertThatThrownBy(() -> TrainingDocuments.open(List.of(shards), DataFormat.CHAT, encoder,
                DataFixtures.CL100K)).isInstanceOf(CorpusException.class)
                .hasMessageContaining("holds format=text shards; this run reads format=chat");
        assertThatThrownBy(() -> TrainingDocuments.open(List.of(shards, files.get(0)), DataFormat.TEXT, encoder,
                DataFixtures.CL100K)).isInstanceOf(CorpusException.class).hasMessageContaining("the only data path");
    }
}
