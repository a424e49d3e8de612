package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Lucene's Europarl sample: line format, materialising a slice, the class-path resource. */
class EuroparlCorpusTest {

    @TempDir
    Path dir;

    @Test
    void bodyIsTheThirdTabSeparatedField() {
        assertThat(EuroparlCorpus.body("Frågestund\t1998-11-17\t  Ordet går till kommissionär Brittan.  ", 1))
                .isEqualTo("Ordet går till kommissionär Brittan.");
    }

    @Test
    void malformedLineIsNamedWithItsNumber() {
        assertThatThrownBy(() -> EuroparlCorpus.body("only a title", 42))
                .isInstanceOf(CorpusException.class).hasMessageContaining(":42:").hasMessageContaining("only a title");
        assertThatThrownBy(() -> EuroparlCorpus.body("a\tb\tc\td", 7))
                .isInstanceOf(CorpusException.class).hasMessageContaining(":7:");
    }

    @Test
    void sliceHasOneBodyPerLineAndIsReusedOnceWritten() throws Exception {
        Path file = EuroparlCorpus.materialise(dir, 50);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(50).allSatisfy(l -> assertThat(l).doesNotContain("\t").isNotBlank());
        // the first line of the sample: "(1) TAB 2004-03-30 TAB Istituzioni europee …" (Italian)
        assertThat(lines.get(0)).startsWith("Istituzioni europee proteggerlo in tutti i campi.");
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertThat(EuroparlCorpus.materialise(dir, 50)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
        try (Corpus corpus = TeacherFixtures.slice(dir.resolve("other"))) {
            assertThat(corpus.documentCount()).isEqualTo(TeacherFixtures.SLICE);
        }
    }
}
