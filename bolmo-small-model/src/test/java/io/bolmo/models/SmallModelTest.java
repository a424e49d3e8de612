package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.Bolmo;
import io.bolmo.Olmo;
import io.bolmo.eval.BolmoScorer;
import io.bolmo.eval.EvalOptions;
import io.bolmo.eval.Evaluation;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.eval.HeldOutResult;
import io.bolmo.eval.TeacherScorer;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.tokenize.SubwordTokenizer;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped models load, generate, and keep the quality that docs/evaluation.md reports. */
class SmallModelTest {

    @TempDir
    Path dir;

    @Test
    void theBolmoGeneratesTheSameGreedyTextTwice() {
        try (Bolmo bolmo = Bolmo.load(SmallModel.bolmo())) {
            assertThat(bolmo.config().global().hiddenSize()).isEqualTo(128);
            GenerationOptions greedy = GenerationOptions.builder().maxNewBytes(48).temperature(0).build();
            GenerationResult a = bolmo.generate("The European Parliament", greedy, new GenerationListener() { });
            GenerationResult b = bolmo.generate("The European Parliament", greedy, new GenerationListener() { });
            assertThat(a.text()).isEqualTo(b.text());
            assertThat(a.text().getBytes(StandardCharsets.UTF_8)).hasSizeBetween(40, 48);
            assertThat(a.text()).doesNotContain("\uFFFD");
        }
    }

    /**
     * On 8 held-out Europarl documents (never seen in training): Bolmo's bits per byte within 10 % of its teacher's
     * and boundary F1 against the teacher's tokenizer at least 0.9 (docs/evaluation.md has the 40-document figures).
     */
    @Test
    void heldOutBitsPerByteAndBoundaryF1() {
        List<String> documents;
        // the first 2,000 lines hold enough held-out documents (1 in 100 by content hash)
        try (Corpus corpus = Corpus.open(EuroparlCorpus.materialise(dir, 2000), CorpusOptions.DEFAULT)) {
            documents = HeldOutDocuments.of(corpus, 100, 8);
        }
        try (Bolmo bolmo = Bolmo.load(SmallModel.bolmo());
                Olmo teacher = Olmo.load(SmallModel.teacher());
                SubwordTokenizer subword = SubwordTokenizer.open(SmallModel.teacher().resolve("tokenizer.json"))) {
            TeacherScorer teacherScorer = new TeacherScorer(teacher.engine(), teacher.config().vocabSize(),
                    subword.encoder(), teacher.config().eosTokenId());
            HeldOutResult r = new Evaluation(subword.encoder(), subword.vocabulary(), EvalOptions.DEFAULT.withTasks(0))
                    .run("small", List.of(), documents, BolmoScorer.of(bolmo), teacherScorer).heldOut();
            assertThat(r.documents()).isEqualTo(8);
            assertThat(r.bolmoBitsPerByte()).isLessThan(1.10 * r.teacherBitsPerByte());
            assertThat(r.boundaries().f1()).isGreaterThan(0.9);
        }
    }

    @Test
    void fromAJarTheModelIsCopiedOnceToADirectoryKeyedByItsContent() throws Exception {
        Path jar = dir.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String f : SmallModel.FILES) {
                out.putNextEntry(new JarEntry(SmallModel.ROOT + "teacher/" + f));
                out.write(("content of " + f).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        String old = System.getProperty("bolmo.models.cache");
        System.setProperty("bolmo.models.cache", dir.resolve("cache").toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path first = SmallModel.directory(loader, "teacher");
            assertThat(first.getParent()).isEqualTo(dir.resolve("cache"));
            assertThat(first.resolve("model.safetensors")).hasContent("content of model.safetensors");
            Files.setLastModifiedTime(first.resolve("config.json"), java.nio.file.attribute.FileTime.fromMillis(0));
            assertThat(SmallModel.directory(loader, "teacher")).isEqualTo(first);
            assertThat(Files.getLastModifiedTime(first.resolve("config.json")).toMillis()).isZero(); // not rewritten
            assertThatThrownBy(() -> SmallModel.directory(loader, "nope"))
                    .hasMessageContaining("io/bolmo/models/small/nope/config.json is missing")
                    .hasMessageContaining("allowed model names: bolmo, teacher");
        } finally {
            if (old == null) {
                System.clearProperty("bolmo.models.cache");
            } else {
                System.setProperty("bolmo.models.cache", old);
            }
        }
    }
}
