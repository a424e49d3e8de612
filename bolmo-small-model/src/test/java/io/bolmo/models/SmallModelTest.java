package io.bolmo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.bolmo.io.AtomicFiles;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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

    /** A jar holding a fake "teacher" model, and the class loader that sees it. */
    private URLClassLoader jarWithATeacher() throws Exception {
        Path jar = dir.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String f : SmallModel.FILES) {
                out.putNextEntry(new JarEntry(SmallModel.ROOT + "teacher/" + f));
                out.write(("content of " + f).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    /** Runs {@code body} with {@code bolmo.models.cache} set to {@code cache}. */
    private static void withCache(Path cache, ThrowingRunnable body) throws Exception {
        String old = System.getProperty("bolmo.models.cache");
        System.setProperty("bolmo.models.cache", cache.toString());
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty("bolmo.models.cache");
            } else {
                System.setProperty("bolmo.models.cache", old);
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void fromAJarTheModelIsCopiedOnceToAnOwnerOnlyDirectoryKeyedByItsContent() throws Exception {
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = jarWithATeacher()) {
            withCache(cache, () -> {
                Path first = SmallModel.directory(loader, "teacher");
                assertThat(first.getParent()).isEqualTo(cache);
                assertThat(first.resolve("model.safetensors")).hasContent("content of model.safetensors");
                assertThat(permissions(cache)).isEqualTo("rwx------");
                assertThat(permissions(first)).isEqualTo("rwx------");
                Files.setLastModifiedTime(first.resolve("config.json"), FileTime.fromMillis(0));
                assertThat(SmallModel.directory(loader, "teacher")).isEqualTo(first);
                assertThat(Files.getLastModifiedTime(first.resolve("config.json")).toMillis()).isZero(); // kept
                assertThatThrownBy(() -> SmallModel.directory(loader, "nope"))
                        .hasMessageContaining("io/bolmo/models/small/nope/config.json is missing")
                        .hasMessageContaining("allowed model names: bolmo, teacher");
            });
        }
    }

    /** Whatever is found in the cache is checked against the jar (size and CRC-32) before each use. */
    @Test
    void aModifiedOrPlantedFileIsExtractedAgain() throws Exception {
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = jarWithATeacher()) {
            withCache(cache, () -> {
                Path model = SmallModel.directory(loader, "teacher");
                Path weights = model.resolve("model.safetensors");

                // same size, other bytes: only the CRC tells
                Files.writeString(weights, "CONTENT OF MODEL.SAFETENSORS");
                assertThat(Files.size(weights)).isEqualTo("content of model.safetensors".length());
                assertThat(SmallModel.directory(loader, "teacher")).isEqualTo(model);
                assertThat(weights).hasContent("content of model.safetensors");

                // a planted directory under the expected name, one file a link to somebody else's weights
                AtomicFiles.deleteTree(model);
                Files.createDirectories(model);
                Path elsewhere = Files.writeString(dir.resolve("planted.safetensors"), "content of model.safetensors");
                Files.createSymbolicLink(weights, elsewhere);
                Files.writeString(model.resolve("config.json"), "content of config.json");
                Files.writeString(model.resolve("tokenizer.json"), "{\"planted\": true}");
                assertThat(SmallModel.directory(loader, "teacher")).isEqualTo(model);
                assertThat(Files.isSymbolicLink(weights)).isFalse();
                assertThat(weights).hasContent("content of model.safetensors");
                assertThat(model.resolve("tokenizer.json")).hasContent("content of tokenizer.json");
                assertThat(permissions(model)).isEqualTo("rwx------");

                // a missing file
                Files.delete(model.resolve("config.json"));
                assertThat(SmallModel.directory(loader, "teacher").resolve("config.json"))
                        .hasContent("content of config.json");
            });
        }
    }

    @Test
    void anOpenCacheDirectoryIsMadeOwnerOnly() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("open-cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (URLClassLoader loader = jarWithATeacher()) {
            withCache(cache, () -> SmallModel.directory(loader, "teacher"));
        }
        assertThat(permissions(cache)).isEqualTo("rwx------");
    }

    /** Only root can give a directory away, so this runs where the tests run as root (as in CI's container). */
    @Test
    void aCacheDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create another user's directory");
        UserPrincipal nobody;
        try {
            nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (IOException e) {
            assumeTrue(false, "no user 'nobody' on this machine");
            return;
        }
        Path cache = Files.createDirectories(dir.resolve("their-cache"));
        Files.setOwner(cache, nobody);
        try (URLClassLoader loader = jarWithATeacher()) {
            withCache(cache, () -> assertThatThrownBy(() -> SmallModel.directory(loader, "teacher"))
                    .hasMessageContaining("belongs to nobody").hasMessageContaining("bolmo.models.cache"));
        }
        try (var files = Files.list(cache)) {
            assertThat(files).as("nothing written into it").isEmpty();
        }
    }

    @Test
    void theDefaultCacheIsPerUserNotTheSharedTempDirectory() {
        String old = System.getProperty("bolmo.models.cache");
        System.clearProperty("bolmo.models.cache");
        try {
            Path root = SmallModel.cacheRoot();
            assertThat(root.startsWith(Path.of(System.getProperty("java.io.tmpdir")))).isFalse();
            assertThat(root.toString()).endsWith("bolmo/models");
            String xdg = System.getenv("XDG_CACHE_HOME");
            assertThat(root.startsWith(xdg != null && !xdg.isBlank() ? Path.of(xdg)
                    : Path.of(System.getProperty("user.home")))).as("%s is under the user's home", root).isTrue();
        } finally {
            if (old != null) {
                System.setProperty("bolmo.models.cache", old);
            }
        }
    }
}
