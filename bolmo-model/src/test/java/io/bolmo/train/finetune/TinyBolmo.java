package io.bolmo.train.finetune;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.AttentionType;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.StudentInit;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** A tiny Bolmo checkpoint (random d-64 teacher, initialised as in Stage 1) with the cl100k-8192 tokenizer. */
final class TinyBolmo {

    private TinyBolmo() {}

    static Path tokenizer() throws Exception {
        return Paths.get(TinyBolmo.class.getResource("/tokenizers/cl100k-8192/tokenizer.json").toURI());
    }

    /** Writes the model into {@code dir} (config.json, model.safetensors, tokenizer.json) and returns it. */
    static Path write(Path dir) throws Exception {
        Path tokenizer = tokenizer();
        int vocab = SubwordVocabulary.load(tokenizer).size();
        OlmoConfig tc = new OlmoConfig("olmo3", vocab, 64, 128, 2, 4, 4, 16, 1e-6, 500000,
                List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION), 16, false, null, 8192, 8195);
        BolmoConfig sc = StudentInit.configFor(tc, 1, 1, 4, 96, vocab, "tokenizer.json");
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new RandomWeights(3)));
                BolmoModel student = StudentInit.student(sc, teacher, 5, m)) {
            HfCheckpointWriter.to(dir).config(sc.toJson()).weights(student.weights().all()).copy(tokenizer).write();
        }
        return dir;
    }
}
