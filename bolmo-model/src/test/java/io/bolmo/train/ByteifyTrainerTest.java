package io.bolmo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.AttentionType;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.HfSubwordEncoder;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.ByteDocumentEncoder;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage 1 then Stage 2 on a tiny random Olmo 3 teacher with the cl100k-8192 tokenizer. */
class ByteifyTrainerTest {

    @TempDir
    Path dir;

    static Path tokenizer() throws Exception {
        return Paths.get(ByteifyTrainerTest.class.getResource("/tokenizers/cl100k-8192/tokenizer.json").toURI());
    }

    static OlmoConfig tinyTeacher(int vocab) {
        return new OlmoConfig("olmo3", vocab, 64, 128, 2, 4, 4, 16, 1e-6, 500000,
                List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION), 16, false, null, 8192, 8195);
    }

    @Test
    void stage1LearnsTokenBoundariesAndStage2ContinuesFromIt() throws Exception {
        Path corpusFile = dir.resolve("corpus.txt");
        String sample = io.bolmo.bench.BenchResources.sampleText();
        Files.writeString(corpusFile, sample.replace("\n\n", "\n"));
        SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer());
        SubwordSuffixTrie trie = SubwordSuffixTrie.build(vocab);
        OlmoConfig tc = tinyTeacher(vocab.size());
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HfSubwordEncoder hf = HfSubwordEncoder.open(tokenizer());
                Corpus corpus = Corpus.open(corpusFile, CorpusOptions.DEFAULT);
                OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new RandomWeights(3)))) {
            BolmoConfig bc = StudentInit.configFor(tc, 1, 2, 4, 96, vocab.size(), null);
            BatchIterator batches = BatchIterator.start(corpus, new ByteDocumentEncoder(hf, vocab),
                    PipelineOptions.training(128, 48, 4, 11).withHeldOutEvery(0));
            try (BolmoModel student = StudentInit.student(bc, teacher, 7, m)) {
                StepMetrics first;
                StepMetrics last;
                try (ByteifyTrainer stage1 = new ByteifyTrainer(TrainingSettings.stage1(200).withPeakLr(3e-3), student,
                        teacher, vocab, trie)) {
                    first = stage1.step(batches.next());
                    last = first;
                    while (!stage1.finished()) {
                        last = stage1.step(batches.next());
                    }
                }
                assertThat(last.boundaries().accuracy()).isGreaterThan(0.95);
                assertThat(last.losses().total()).isLessThan(first.losses().total() * 0.5);
                assertThat(last.losses().crossEntropy()).isLessThan(first.losses().crossEntropy());

                try (ByteifyTrainer stage2 = new ByteifyTrainer(TrainingSettings.stage2(10).withPeakLr(1e-3), student,
                        null, vocab, trie)) {
                    StepMetrics s2first = stage2.step(batches.next());
                    StepMetrics s2last = s2first;
                    while (!stage2.finished()) {
                        s2last = stage2.step(batches.next());
                    }
                    assertThat(s2last.losses().total()).isFinite();
                    assertThat(s2last.boundaries().accuracy()).isGreaterThan(0.9);
                    assertThat(s2last.losses().crossEntropy()).isLessThan(s2first.losses().crossEntropy() * 1.1);
                }
            }
        }
    }
}
