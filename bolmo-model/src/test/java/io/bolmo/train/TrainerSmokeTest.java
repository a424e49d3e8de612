package io.bolmo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.AttentionType;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainerSmokeTest {

    static Path tokenizer() throws Exception {
        return Paths.get(TrainerSmokeTest.class.getResource("/tokenizers/cl100k-8192/tokenizer.json").toURI());
    }

    @Test
    void stage1RunsAndLearnsBoundaries() throws Exception {
        System.setProperty("bolmo.debugNan", "true"); System.setProperty("bolmo.gc", System.getenv().getOrDefault("SMOKE_GC", "false"));
        SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer());
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(vocab);
        OlmoConfig tc = new OlmoConfig("olmo3", vocab.size(), 64, 128, 2, 4, 4, 16, 1e-6, 500000,
                List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION), 16, false, null, 8192, 8195);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizer(), Map.of("addSpecialTokens", "false"))) {
            m.getEngine().setRandomSeed(1);
            OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new Weights.Source() {
                public Set<String> names() { return Set.of(); }
                public NDArray load(String name, Shape s, NDManager mm) {
                    return name.endsWith("norm.weight") || name.endsWith("layernorm.weight") ? mm.ones(s)
                            : mm.randomNormal(0, (float) (1 / Math.sqrt(s.get(s.dimension() - 1))), s, ai.djl.ndarray.types.DataType.FLOAT32);
                }
            }));
            BolmoConfig bc = TeacherInit.configFor(tc, 1, 2, 4, 96, vocab.size(), null);
            BolmoModel student = TeacherInit.student(bc, teacher, 7, m);
            String[] docs = {"The quick brown fox jumps over the lazy dog.", "Hello world, this is a test of byteifying.",
                    "Spring Batch runs restartable jobs.", "Byte-level models see every character."};
            TrainingBatch batch = batch(hf, docs, 64, 24, vocab);
            try (ByteifyTrainer trainer = new ByteifyTrainer(settings(), student, teacher, vocab, trie)) {
                StepMetrics first = null;
                StepMetrics last = null;
                for (int i = 0; i < 60; i++) {
                    last = trainer.step(batch);
                    if (first == null) first = last;
                    System.out.println("STEP " + last.step() + " " + last.total() + " " + last.gradNorm());
                }
                System.out.println("STEP " + last.step() + " " + last.total() + " " + last.gradNorm());
                assertThat(last.total()).isLessThan(first.total());
            }
            student.close();
            teacher.close();
        }
    }

    static TrainingSettings settings() {
        TrainingSettings t = TrainingSettings.stage1(60).withPeakLr(3e-3);
        String w = System.getenv().getOrDefault("SMOKE_W", "1,1,1,4");
        String[] p = w.split(",");
        return new TrainingSettings(t.stage(), t.totalSteps(), t.peakLr(), t.globalLrMultiplier(), t.warmupFraction(), t.maxGradNorm(),
            new io.bolmo.train.loss.StageWeights(Float.parseFloat(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2]), Float.parseFloat(p[3])),
            t.encoderLossLayer(), t.distillation(), t.seed());
    }

    static TrainingBatch batch(HuggingFaceTokenizer hf, String[] docs, int len, int patches, SubwordVocabulary vocab) {
        int[][] ids = new int[docs.length][len];
        int[][] lens = new int[docs.length][patches];
        int[][] tids = new int[docs.length][patches];
        for (int b = 0; b < docs.length; b++) {
            long[] toks = hf.encode(docs[b]).getIds();
            List<Integer> bytes = new ArrayList<>();
            bytes.add(1);
            lens[b][0] = 1;
            tids[b][0] = vocab.eosId();
            int p = 1;
            for (long t : toks) {
                int[] bi = vocab.byteIds((int) t);
                if (bytes.size() + bi.length > len || p >= patches) break;
                for (int x : bi) bytes.add(x);
                lens[b][p] = bi.length;
                tids[b][p] = (int) t;
                p++;
            }
            for (; p < patches; p++) tids[b][p] = vocab.padId();
            for (int i = 0; i < bytes.size(); i++) ids[b][i] = bytes.get(i);
        }
        return new TrainingBatch(ids, lens, tids);
    }
}
