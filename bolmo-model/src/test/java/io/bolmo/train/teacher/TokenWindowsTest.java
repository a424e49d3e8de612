package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.tokenize.SubwordEncoder;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.DataCursor;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.Split;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing into EOS-separated windows, resuming from a cursor, and the held-out split staying unseen. */
class TokenWindowsTest {

    @TempDir
    Path dir;

    /** One id per character (code mod 100) of the first 20 characters: cheap, and never EOS or PAD. */
    private static final SubwordEncoder CHARS = text -> text.chars().limit(20).map(c -> c % 100).toArray();

    @Test
    void windowsPackDocumentsWithEosAndResumeExactly() {
        try (Corpus corpus = TeacherFixtures.slice(dir)) {
            PipelineOptions o = new PipelineOptions(33, 33, 3, 9, true, 10, Split.TRAIN, 0);
            TokenWindows a = TokenWindows.start(corpus, TokenDocuments.text(CHARS), o, 8192, 8195);
            TokenBatch first = a.next();
            for (int[] row : first.tokens()) {
                assertThat(row).hasSize(33).contains(8192); // documents of ≤ 20 ids: every window holds an EOS
            }
            assertThat(first.lengths()).containsOnly(33);
            DataCursor saved = a.cursor();
            TokenBatch second = a.next();
            TokenWindows b = TokenWindows.resume(corpus, TokenDocuments.text(CHARS), o, 8192, 8195,
                    DataCursor.fromJson(saved.toJson()));
            assertThat(b.next().tokens()).isDeepEqualTo(second.tokens());
        }
    }

    @Test
    void heldOutDocumentsAreNeverTrainedOn() {
        try (Corpus corpus = TeacherFixtures.slice(dir)) {
            Set<String> trained = new HashSet<>();
            Set<String> heldOut = new HashSet<>();
            PipelineOptions o = new PipelineOptions(65, 65, 4, 3, true, 10, Split.TRAIN, 1);
            TokenWindows train = TokenWindows.start(corpus, TokenDocuments.text(recording(trained)), o, 8192, 8195);
            while (train.hasNext()) {
                train.next();
            }
            TokenWindows eval = TokenWindows.start(corpus, TokenDocuments.text(recording(heldOut)), o.heldOut(), 8192,
                    8195);
            while (eval.hasNext()) {
                eval.next();
            }
            assertThat(heldOut).isNotEmpty();
            assertThat(trained).doesNotContainAnyElementsOf(heldOut);
            assertThat(trained.size() + heldOut.size()).isEqualTo(corpus.documentCount());
        }
    }

    private static SubwordEncoder recording(Set<String> seen) {
        return text -> {
            seen.add(text);
            return CHARS.encode(text);
        };
    }
}
