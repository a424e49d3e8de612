package io.bolmo.batch;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.train.StudentInit;
import io.bolmo.train.data.ChatSetGenerator;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fine-tune fixtures next to {@link TinyByteify}'s: a tiny Bolmo model initialised from its random teacher (no
 * training needed to fine-tune it), a generated chat set of 60 conversations, and job parameters for 2 chunks of 3
 * steps at L=192, B=2 with 1-in-5 held out.
 */
final class TinyFinetune {

    private static Path root;

    private TinyFinetune() {}

    static synchronized Path root() {
        if (root == null) {
            try {
                Path base = TinyByteify.root();
                Path r = base.resolve("finetune-fixture");
                Path teacherDir = base.resolve("teacher");
                try (NDManager m = NDManager.newBaseManager("PyTorch"); HfCheckpoint hf = HfCheckpoint.open(teacherDir);
                        OlmoModel teacher = OlmoModel.create(hf.olmoConfig(), Weights.from(m, hf))) {
                    BolmoConfig sc = StudentInit.configFor(teacher.config(), 1, 1, 4, 96,
                            teacher.config().vocabSize(), "tokenizer.json");
                    try (BolmoModel student = StudentInit.student(sc, teacher, 5, m)) {
                        HfCheckpointWriter.to(r.resolve("model")).config(sc.toJson())
                                .weights(student.weights().all()).copy(teacherDir.resolve("tokenizer.json")).write();
                    }
                }
                try (Corpus c = Corpus.open(base.resolve("corpus.txt"), CorpusOptions.DEFAULT)) {
                    ChatSetGenerator.write(r.resolve("chats.jsonl"),
                            ChatSetGenerator.generate(c, ChatSetGenerator.Options.defaults(60, 1)));
                }
                Files.createDirectories(r);
                root = r;
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the fine-tune fixture", e);
            }
        }
        return root;
    }

    static Map<String, String> args(Path output) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("model", root().resolve("model").toString());
        a.put("data", root().resolve("chats.jsonl").toString());
        a.put("format", "chat");
        a.put("output", output.toString());
        a.put("steps", "6");
        a.put("chunk-size", "3");
        a.put("batch-size", "2");
        a.put("seq-len", "192");
        a.put("max-patches", "96");
        a.put("lr", "3e-3");
        a.put("held-out-every", "5");
        a.put("eval-batches", "1");
        a.put("seed", "7");
        return a;
    }
}
