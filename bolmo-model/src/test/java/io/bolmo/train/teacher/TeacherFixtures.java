package io.bolmo.train.teacher;

import io.bolmo.config.OlmoConfig;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.DataFormat;
import java.nio.file.Path;
import java.nio.file.Paths;

/** A tiny teacher and a slice of Europarl, shared by the teacher tests. */
final class TeacherFixtures {

    static final int SLICE = 300;

    private TeacherFixtures() {}

    static Path tokenizer() throws Exception {
        return Paths.get(TeacherFixtures.class.getResource("/tokenizers/cl100k-8192/tokenizer.json").toURI());
    }

    /** The first {@link #SLICE} bodies of the sample under {@code dir}. */
    static Corpus slice(Path dir) {
        return Corpus.open(EuroparlCorpus.materialise(dir, SLICE), CorpusOptions.DEFAULT);
    }

    /** d 32, two layers (sliding then full), two heads, window 8: a few milliseconds per step. */
    static OlmoConfig tinyConfig() {
        return TeacherShapes.olmo3(TeacherShapes.VOCAB, 32, 64, 2, 2, 8);
    }

    /** B 4 × T 32, 1 in 10 documents held out, lr 1e-2 so 30 steps show learning. */
    static TeacherSettings tinySettings(long steps) {
        return new TeacherSettings(4, 32, steps, 1e-2, 0.1, 0.1, 1.0, 5, 10, DataFormat.TEXT, false);
    }
}
