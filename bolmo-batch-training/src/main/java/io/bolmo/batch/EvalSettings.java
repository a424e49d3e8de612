package io.bolmo.batch;

import com.google.gson.Gson;
import io.bolmo.engine.LoadOptions;
import io.bolmo.eval.EvalModels;
import io.bolmo.eval.EvalOptions;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * One evaluation as a partition carries it in its step context (JSON): the models, the data and the options of
 * {@code bolmo eval}. Every partition derives the same held-out documents and task plan from it and scores its own
 * range of them.
 *
 * @param models       Bolmo checkpoint directories, evaluated one after another
 * @param teacher      the subword teacher's directory, or empty
 * @param corpus       corpus files or directories
 * @param tokenizer    the subword tokenizer, or empty (the teacher's, else each Bolmo's own)
 * @param heldOutEvery documents whose content hash ≡ 0 mod this are evaluated
 * @param maxDocs      at most this many of them (0: all)
 * @param engine       {@code djl} or {@code java}, never {@code auto}: every partition computes alike
 */
public record EvalSettings(List<String> models, String teacher, List<String> corpus, String tokenizer,
        int heldOutEvery, int maxDocs, int tasks, long seed, int windowBytes, int windowTokens, String device,
        String engine) {

    private static final Gson GSON = new Gson();

    public EvalOptions options() {
        return EvalOptions.DEFAULT.withWindows(windowBytes, windowTokens).withTasks(tasks).withSeed(seed);
    }

    /** How the models are loaded: {@code device} and {@code engine}, float32 (every partition loads them alike). */
    public LoadOptions load() {
        return LoadOptions.parse(device, null, engine, null);
    }

    public Path teacherDir() {
        return teacher.isEmpty() ? null : Path.of(teacher);
    }

    /** The tokenizer all models share (explicit, else the teacher's), or null when each brings its own. */
    public Path sharedTokenizer() {
        return EvalModels.sharedTokenizer(teacherDir(), tokenizer.isEmpty() ? null : Path.of(tokenizer));
    }

    /** The held-out documents in corpus order, as {@code bolmo eval} selects them. */
    public List<String> heldOutDocuments() {
        try (Corpus c = Corpus.open(corpus.stream().map(Path::of).toList(), CorpusOptions.DEFAULT)) {
            return List.copyOf(HeldOutDocuments.of(c, heldOutEvery, maxDocs));
        }
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static EvalSettings fromJson(String json) {
        return GSON.fromJson(json, EvalSettings.class);
    }
}
