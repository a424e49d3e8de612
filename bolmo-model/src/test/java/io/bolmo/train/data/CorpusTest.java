package io.bolmo.train.data;

import static io.bolmo.train.data.DataFixtures.texts;
import static io.bolmo.train.data.DataFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    @Test
    void textLinesSkipBlankLinesAndStripCr() {
        Path f = write(dir.resolve("a.txt"), "first doc\r\n\n   \nsecond — ü\nthird");
        try (Corpus c = Corpus.open(f, CorpusOptions.DEFAULT)) {
            assertThat(texts(c)).containsExactly("first doc", "second — ü", "third");
            assertThat(c.describe(1)).isEqualTo(f + ":4");
            assertThat(c.describe(2)).isEqualTo(f + ":5");
        }
    }

    @Test
    void textFilesModeGivesOneDocumentPerFile() {
        write(dir.resolve("b.txt"), "B line 1\nB line 2\n");
        write(dir.resolve("a.txt.gz"), "A line 1\n\nA line 2");
        write(dir.resolve("sub/c.txt"), "   \n");
        write(dir.resolve("ignored.csv"), "x,y");
        try (Corpus c = Corpus.open(dir, CorpusOptions.DEFAULT.withTextMode(TextMode.FILES))) {
            // sorted by path; the blank file is skipped, the .csv is not a corpus file
            assertThat(texts(c)).containsExactly("A line 1\n\nA line 2", "B line 1\nB line 2\n");
            assertThat(c.files()).containsExactly(dir.resolve("a.txt.gz"), dir.resolve("b.txt"), dir.resolve("sub/c.txt"));
        }
    }

    @Test
    void gzLinesAndJsonlAreReadInFileOrder() {
        write(dir.resolve("1.txt.gz"), "g1\ng2\n");
        write(dir.resolve("2.jsonl"), "{\"text\":\"j1\",\"id\":3}\n\n{\"text\":\"j2 \\u00e9\\n\"}\n");
        write(dir.resolve("3.jsonl.gz"), "{\"text\":\"z1\"}\n{\"text\":\"\"}\n{\"text\":\"z2\"}");
        try (Corpus c = Corpus.open(dir, CorpusOptions.DEFAULT)) {
            assertThat(texts(c)).containsExactly("g1", "g2", "j1", "j2 é\n", "z1", "z2");
            assertThat(c.fileStart(0)).isZero();
            assertThat(c.fileStart(1)).isEqualTo(2);
            assertThat(c.fileStart(2)).isEqualTo(4);
            assertThat(c.describe(5)).isEqualTo(dir.resolve("3.jsonl.gz") + ":3");
            // random access back into an earlier .gz after another file
            assertThat(c.text(1)).isEqualTo("g2");
            assertThat(c.text(5)).isEqualTo("z2");
            assertThat(c.text(0)).isEqualTo("g1");
        }
    }

    @Test
    void explicitFileListKeepsGivenOrderAndCustomField() {
        Path b = write(dir.resolve("b.jsonl"), "{\"body\":\"bee\"}\n");
        Path a = write(dir.resolve("a.jsonl"), "{\"body\":\"ay\"}\n");
        try (Corpus c = Corpus.open(List.of(b, a), CorpusOptions.DEFAULT.withJsonField("body"))) {
            assertThat(texts(c)).containsExactly("bee", "ay");
        }
    }

    @Test
    void malformedJsonNamesFileAndLine() {
        Path f = write(dir.resolve("bad.jsonl"), "{\"text\":\"ok\"}\n{\"text\": \"unterminated}\n");
        assertThatThrownBy(() -> Corpus.open(f, CorpusOptions.DEFAULT))
                .isInstanceOf(CorpusException.class).hasMessageStartingWith(f + ":2: malformed JSON");
    }

    @Test
    void missingOrNonStringFieldNamesFileAndLine() {
        Path f = write(dir.resolve("m.jsonl.gz"), "{\"text\":\"ok\"}\n{\"txt\":\"x\"}\n");
        assertThatThrownBy(() -> Corpus.open(f, CorpusOptions.DEFAULT))
                .isInstanceOf(CorpusException.class).hasMessage(f + ":2: missing field \"text\"");
        Path g = write(dir.resolve("n.jsonl"), "{\"text\":42}\n");
        assertThatThrownBy(() -> Corpus.open(g, CorpusOptions.DEFAULT))
                .hasMessage(g + ":1: field \"text\" is not a string but the value 42");
        Path h = write(dir.resolve("o.jsonl"), "[1,2]\n");
        assertThatThrownBy(() -> Corpus.open(h, CorpusOptions.DEFAULT))
                .hasMessage(h + ":1: expected a JSON object, got an array");
    }

    @Test
    void missingPathAndUnsupportedFileAreErrors() {
        assertThatThrownBy(() -> Corpus.open(dir.resolve("nope"), CorpusOptions.DEFAULT))
                .hasMessage(dir.resolve("nope") + ": no such file or directory");
        Path csv = write(dir.resolve("x.csv"), "a");
        assertThatThrownBy(() -> Corpus.open(csv, CorpusOptions.DEFAULT))
                .hasMessageContaining("unsupported corpus file");
    }
}
