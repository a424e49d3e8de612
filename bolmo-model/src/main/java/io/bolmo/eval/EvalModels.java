package io.bolmo.eval;

import io.bolmo.Bolmo;
import io.bolmo.Engines;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.engine.Engine;
import io.bolmo.engine.LoadOptions;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.tokenize.ChatTemplate;
import io.bolmo.tokenize.SubwordTokenizer;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The models of one {@link Evaluation}: a Bolmo, the subword tokenizer that defines the boundary targets (and is the
 * teacher's input), and optionally the subword teacher. The tokenizer is {@code tokenizer} when given, else the
 * teacher's {@code tokenizer.json}, else the Bolmo's own subword vocabulary (what {@code bolmo eval} documents).
 */
public final class EvalModels implements AutoCloseable {

    private final Bolmo bolmo;
    private final SubwordTokenizer subword;
    private final Teacher teacher;
    private final TeacherScorer teacherScorer;

    private EvalModels(Bolmo bolmo, SubwordTokenizer subword, Teacher teacher) {
        this.bolmo = bolmo;
        this.subword = subword;
        this.teacher = teacher;
        this.teacherScorer = teacher == null ? null : teacher.scorer(subword);
    }

    /**
     * @param teacherDir null: Bolmo alone
     * @param tokenizer  null: the teacher's, else the Bolmo's own
     * @param load       device, weight format, engine and threads of both models
     */
    public static EvalModels open(Path bolmoDir, Path teacherDir, Path tokenizer, LoadOptions load) {
        Bolmo bolmo = Bolmo.load(bolmoDir, new Bolmo.Options(load, tokenizer, ChatTemplate.OLMO));
        SubwordTokenizer subword = null;
        Teacher teacher = null;
        try {
            subword = SubwordTokenizer.open(tokenizerPath(bolmoDir, bolmo, teacherDir, tokenizer));
            teacher = teacherDir == null ? null : Teacher.load(teacherDir, load);
            return new EvalModels(bolmo, subword, teacher);
        } catch (RuntimeException e) {
            if (teacher != null) {
                teacher.close();
            }
            if (subword != null) {
                subword.close();
            }
            bolmo.close();
            throw e;
        }
    }

    private static Path tokenizerPath(Path bolmoDir, Bolmo bolmo, Path teacherDir, Path tokenizer) {
        Path shared = sharedTokenizer(teacherDir, tokenizer);
        return shared != null ? shared
                : SubwordVocabulary.locate(bolmoDir, bolmo.config().subwordVocabulary(), null);
    }

    /** The subword vocabulary file a Bolmo directory's {@code config.json} names (its own tokenizer). */
    public static Path ownTokenizer(Path bolmoDir) {
        return SubwordVocabulary.locate(bolmoDir, BolmoConfig.load(bolmoDir.resolve("config.json"))
                .subwordVocabulary(), null);
    }

    /**
     * The tokenizer every model of an evaluation with this teacher and option uses: {@code tokenizer}, else the
     * teacher's {@code tokenizer.json}; null when each Bolmo brings its own.
     */
    public static Path sharedTokenizer(Path teacherDir, Path tokenizer) {
        if (tokenizer != null) {
            return tokenizer;
        }
        if (teacherDir != null && Files.isRegularFile(teacherDir.resolve("tokenizer.json"))) {
            return teacherDir.resolve("tokenizer.json");
        }
        return null;
    }

    public Bolmo bolmo() {
        return bolmo;
    }

    public BolmoScorer bolmoScorer() {
        return BolmoScorer.of(bolmo);
    }

    public SubwordTokenizer subword() {
        return subword;
    }

    /** Null without a teacher. */
    public TeacherScorer teacherScorer() {
        return teacherScorer;
    }

    public Evaluation evaluation(EvalOptions options) {
        return new Evaluation(subword.encoder(), subword.vocabulary(), options);
    }

    @Override
    public void close() {
        try {
            if (teacher != null) {
                teacher.close();
            }
            subword.close();
        } finally {
            bolmo.close();
        }
    }

    /** The subword teacher, loaded without the {@code Olmo} facade's tokenizer so a bare vocabulary also works. */
    private static final class Teacher implements AutoCloseable {

        final OlmoConfig config;
        final Engine engine;

        private Teacher(OlmoConfig config, Engine engine) {
            this.config = config;
            this.engine = engine;
        }

        static Teacher load(Path dir, LoadOptions options) {
            try (HfCheckpoint checkpoint = HfCheckpoint.open(dir)) {
                OlmoConfig config = checkpoint.olmoConfig();
                return new Teacher(config, Engines.olmo(checkpoint, config, options));
            }
        }

        TeacherScorer scorer(SubwordTokenizer subword) {
            SubwordVocabulary v = subword.vocabulary();
            int vocabSize = config.vocabSize();
            if (v.size() > vocabSize) {
                throw new IllegalArgumentException("tokenizer " + subword.description() + " has " + v.size()
                        + " ids but the teacher's vocab_size is " + vocabSize + ": pass its own --tokenizer");
            }
            Integer eos = config.eosTokenId();
            return new TeacherScorer(engine, vocabSize, subword.encoder(), eos != null ? eos : v.eosId());
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
