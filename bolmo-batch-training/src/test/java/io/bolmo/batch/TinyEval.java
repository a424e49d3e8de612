package io.bolmo.batch;

import io.bolmo.eval.CharTask;
import io.bolmo.eval.EvalModels;
import io.bolmo.eval.EvalReport;
import io.bolmo.eval.HeldOutDocuments;
import io.bolmo.eval.HeldOutResult;
import io.bolmo.eval.TaskResult;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.teacher.EuroparlCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixtures of the partitioned-evaluation tests: a Europarl corpus (the first 200 bodies of the sample), two tiny
 * Bolmo checkpoints (the fine-tune fixture's model and a second one initialised with another seed), the parameters
 * of a small {@code eval} of them, and the figures a single {@code bolmo eval} pass computes (what
 * {@code EvalCommand} runs), to compare with exactly.
 */
final class TinyEval {

    private static List<Path> models;

    private TinyEval() {}

    static synchronized List<Path> models() {
        if (models == null) {
            Path first = TinyFinetune.root().resolve("model");
            Path second = TinyFinetune.root().resolve("model-seed-6");
            Path teacherDir = TinyByteify.root().resolve("teacher");
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch");
                    io.bolmo.io.HfCheckpoint hf = io.bolmo.io.HfCheckpoint.open(teacherDir);
                    io.bolmo.nn.OlmoModel teacher = io.bolmo.nn.OlmoModel.create(hf.olmoConfig(),
                            io.bolmo.nn.Weights.from(m, hf));
                    io.bolmo.io.HfCheckpoint sc = io.bolmo.io.HfCheckpoint.open(first);
                    io.bolmo.nn.BolmoModel student = io.bolmo.train.StudentInit.student(sc.bolmoConfig(), teacher, 6,
                            m)) {
                io.bolmo.io.HfCheckpointWriter.to(second).config(sc.bolmoConfig().toJson())
                        .weights(student.weights().all()).copy(teacherDir.resolve("tokenizer.json")).write();
            }
            models = List.of(first, second);
        }
        return models;
    }

    /**
     * 60 short documents (the opening of the first Europarl bodies, at most 240 bytes cut after a word): CPU
     * forwards cost in proportion to the bytes, and these tests are about partitions, not about long text.
     */
    static synchronized Path corpus() {
        Path file = TinyByteify.root().resolve("europarl/short-bodies.txt");
        if (!java.nio.file.Files.exists(file)) {
            Path bodies = EuroparlCorpus.materialise(TinyByteify.root().resolve("europarl"), 60);
            StringBuilder out = new StringBuilder();
            try {
                for (String body : java.nio.file.Files.readAllLines(bodies)) {
                    String cut = body.length() <= 240 ? body : body.substring(0, body.lastIndexOf(' ', 240));
                    out.append(cut.strip()).append('\n');
                }
                java.nio.file.Files.writeString(file, out.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return file;
    }

    /** {@code eval} of {@code models} (with the tiny teacher) writing into {@code output}. */
    static Map<String, String> args(List<Path> models, Path output, int partitions, int maxDocs) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("bolmo", String.join(",", models.stream().map(Path::toString).toList()));
        a.put("teacher", TinyByteify.root().resolve("teacher").toString());
        a.put("corpus", corpus().toString());
        a.put("output", output.toString());
        a.put("held-out-every", "1");
        a.put("max-docs", Integer.toString(maxDocs));
        a.put("tasks", "1");
        a.put("window-bytes", "1024");
        a.put("window-tokens", "512");
        a.put("partitions", Integer.toString(partitions));
        return a;
    }

    /** The figures of one single-JVM pass over the same documents, as {@code bolmo eval} computes them, per model. */
    static List<Map<String, Double>> singlePass(Map<String, String> args) {
        List<String> docs;
        try (Corpus c = Corpus.open(Path.of(args.get("corpus")), CorpusOptions.DEFAULT)) {
            docs = HeldOutDocuments.of(c, Integer.parseInt(args.get("held-out-every")),
                    Integer.parseInt(args.get("max-docs")));
        }
        EvalSettings s = EvalJobParameters.of(TinyByteify.parameters(args)).settings();
        List<Map<String, Double>> out = new ArrayList<>();
        for (String model : s.models()) {
            try (EvalModels m = EvalModels.open(Path.of(model), s.teacherDir(), s.sharedTokenizer(), s.load())) {
                EvalReport r = m.evaluation(s.options()).run("single pass", List.of(), docs, m.bolmoScorer(),
                        m.teacherScorer());
                out.add(figures(r));
            }
        }
        return out;
    }

    /** Every figure of a report by name. */
    static Map<String, Double> figures(EvalReport r) {
        HeldOutResult h = r.heldOut();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("documents", (double) h.documents());
        f.put("bytes", (double) h.bytes());
        f.put("bits_per_byte", h.bolmoBitsPerByte());
        f.put("teacher_bits_per_byte", h.teacherBitsPerByte());
        f.put("boundary_precision", h.boundaries().precision());
        f.put("boundary_recall", h.boundaries().recall());
        f.put("boundary_f1", h.boundaries().f1());
        f.put("bytes_per_patch", h.bolmoBytesPerPatch());
        for (Map.Entry<CharTask, TaskResult> e : r.tasks().entrySet()) {
            f.put(e.getKey().label() + "_bolmo", e.getValue().bolmo());
            f.put(e.getKey().label() + "_teacher", e.getValue().teacher());
        }
        return f;
    }

    /** The same figures from a job's {@code report.json}. */
    static List<Map<String, Double>> fromReport(Path reportJson) throws java.io.IOException {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(
                reportJson)).getAsJsonObject();
        List<Map<String, Double>> out = new ArrayList<>();
        for (com.google.gson.JsonElement e : o.getAsJsonArray("models")) {
            com.google.gson.JsonObject m = e.getAsJsonObject();
            Map<String, Double> f = new LinkedHashMap<>();
            for (String k : List.of("documents", "bytes", "bits_per_byte", "teacher_bits_per_byte",
                    "boundary_precision", "boundary_recall", "boundary_f1", "bytes_per_patch")) {
                f.put(k, m.get(k).getAsDouble());
            }
            com.google.gson.JsonObject tasks = m.getAsJsonObject("tasks");
            for (CharTask t : CharTask.values()) {
                com.google.gson.JsonObject to = tasks.getAsJsonObject(t.label());
                f.put(t.label() + "_bolmo", to.get("bolmo_accuracy").getAsDouble());
                f.put(t.label() + "_teacher", to.get("teacher_accuracy").getAsDouble());
            }
            out.add(f);
        }
        return out;
    }
}
