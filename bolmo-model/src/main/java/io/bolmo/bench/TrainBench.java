package io.bolmo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import io.bolmo.train.ByteifyTrainer;
import io.bolmo.train.StepMetrics;
import io.bolmo.train.StudentInit;
import io.bolmo.train.TrainingSettings;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.ByteDocumentEncoder;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code bolmo bench-train}: Stage 1 training throughput on a random Olmo 3 teacher of a chosen width, and the
 * fraction of the machine's float32 matmul peak it reaches, measured in one run. FLOPs are counted from parameter
 * counts: 6 per trainable parameter per byte for the local models and LM head (forward + backward), 6 per global
 * parameter per patch through the frozen blocks L_enc runs (their backward still computes activation gradients),
 * 2 per teacher parameter per token; attention and mLSTM score terms are left out, so the fraction is a lower bound.
 */
public final class TrainBench {

    /** What to measure: teacher width and depth, timed and warm-up steps, batch shape. */
    public record Options(int dim, int layers, int steps, int warmup, int batchSize, int seqLen) {

        public Options {
            if (dim % 64 != 0 || dim < 64 || layers < 1 || steps < 1 || warmup < 0 || batchSize < 1 || seqLen < 16) {
                throw new IllegalArgumentException("--dim must be a multiple of 64 (>= 64), --layers/--steps/"
                        + "--batch-size >= 1, --warmup >= 0, --seq-len >= 16; got dim " + dim + ", layers " + layers
                        + ", steps " + steps + ", warmup " + warmup + ", batch " + batchSize + ", seq-len " + seqLen);
            }
        }
    }

    /** The figures of one run. */
    public record Result(Options options, BolmoConfig config, double peakGflops, double bytesPerSecond, double gflops,
            double seconds, StepMetrics last) {

        public double fractionOfPeak() {
            return gflops / peakGflops;
        }

        /** The Markdown table of docs/benchmarks.md. */
        public String markdown() {
            Options o = options;
            StringBuilder sb = new StringBuilder();
            sb.append("### bolmo bench-train, ").append(java.time.Instant.now()).append("\n\n");
            sb.append(String.format(java.util.Locale.ROOT, "Stage 1 on a random Olmo 3 teacher (d %d, %d layers), student with"
                    + " 1 encoder and 4 decoder blocks; batch %d x %d bytes%n%n", config.hiddenSize(),
                    config.global().numHiddenLayers(), o.batchSize(), o.seqLen()));
            sb.append("| figure | value | notes |\n|---|---|---|\n");
            sb.append(String.format(java.util.Locale.ROOT, "| float32 matmul peak | %.0f GFLOP/s | 1024^3 GEMM, best effort"
                    + " over 10 runs |%n", peakGflops));
            sb.append(String.format(java.util.Locale.ROOT, "| training throughput | %.0f B/s | %d steps in %.1f s after %d"
                    + " warm-up steps |%n", bytesPerSecond, o.steps(), seconds, o.warmup()));
            sb.append(String.format(java.util.Locale.ROOT, "| training compute | %.2f GFLOP/s | parameter-count estimate"
                    + " (lower bound) |%n", gflops));
            sb.append(String.format(java.util.Locale.ROOT, "| fraction of matmul peak | %.3f | |%n", fractionOfPeak()));
            sb.append(String.format(java.util.Locale.ROOT, "| last step | %s | |%n", last.format()));
            return sb.toString();
        }
    }

    private TrainBench() {}

    /** Trains {@code o.warmup()} untimed then {@code o.steps()} timed Stage 1 steps on the bundled sample text. */
    public static Result run(Options o) throws IOException {
        Path tokenizer = BenchResources.tokenizerFile(null);
        Path corpusFile = Files.createTempFile("bolmo-bench-corpus", ".txt");
        Files.writeString(corpusFile, String.join("\n", Collections.nCopies(20, BenchResources.sampleText())));
        SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer);
        int heads = o.dim() / 32;
        List<AttentionType> types = new ArrayList<>();
        for (int i = 0; i < o.layers(); i++) {
            types.add((i + 1) % 4 == 0 || i == o.layers() - 1 ? AttentionType.FULL_ATTENTION
                    : AttentionType.SLIDING_ATTENTION);
        }
        OlmoConfig teacherConfig = new OlmoConfig("olmo3", vocab.size(), o.dim(), 4 * o.dim(), o.layers(), heads,
                heads, 32, 1e-6, 500000, types, 64, false, null, vocab.eosId(), vocab.padId());
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HfSubwordEncoder hf = HfSubwordEncoder.open(tokenizer);
                Corpus corpus = Corpus.open(corpusFile, CorpusOptions.DEFAULT);
                OlmoModel teacher = OlmoModel.create(teacherConfig, Weights.from(m, new RandomWeights(1)))) {
            double peak = matmulGflops(m);
            BolmoConfig config = StudentInit.configFor(teacherConfig, 1, 4, heads, o.dim() * 11 / 8, vocab.size(),
                    null);
            BatchIterator batches = BatchIterator.start(corpus, new ByteDocumentEncoder(hf, vocab),
                    PipelineOptions.training(o.seqLen(), o.seqLen() / 2, o.batchSize(), 7).withHeldOutEvery(0));
            try (BolmoModel student = StudentInit.student(config, teacher, 7, m);
                    ByteifyTrainer trainer = new ByteifyTrainer(TrainingSettings.stage1(o.warmup() + o.steps()),
                            student, teacher, vocab, SubwordSuffixTrie.build(vocab))) {
                for (int i = 0; i < o.warmup(); i++) {
                    trainer.step(batches.next());
                }
                long bytes = 0;
                double flops = 0;
                StepMetrics last = null;
                long start = System.nanoTime();
                for (int i = 0; i < o.steps(); i++) {
                    TrainingBatch batch = batches.next();
                    last = trainer.step(batch);
                    bytes += batch.realBytes();
                    flops += stepFlops(student, teacher, batch);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(o, config, peak, bytes / seconds, flops / seconds / 1e9, seconds, last);
            }
        } finally {
            Files.deleteIfExists(corpusFile);
        }
    }

    /** FLOPs of one Stage 1 step by the parameter-count rule of the class comment. */
    private static double stepFlops(BolmoModel student, OlmoModel teacher, TrainingBatch batch) {
        long local = 0;
        long global = 0;
        for (Map.Entry<String, NDArray> e : student.weights().all().entrySet()) {
            long n = e.getValue().getShape().size();
            if (e.getKey().startsWith("model.layers.")) {
                global += n;
            } else if (!e.getKey().contains("embedding")) {
                local += n;
            }
        }
        int encoderLayers = Math.min(4, student.global().layers());
        double patches = batch.realTokens() + batch.realRows();
        double teacherParams = global; // the teacher's blocks are the student's global blocks
        return 6.0 * local * batch.realBytes() + 6.0 * global * encoderLayers / student.global().layers() * patches
                + 2.0 * teacherParams * patches;
    }

    private static double matmulGflops(NDManager m) {
        try (NDManager s = m.newSubManager()) {
            NDArray a = s.randomNormal(new Shape(1024, 1024));
            NDArray b = s.randomNormal(new Shape(1024, 1024));
            a.matMul(b).close();
            long start = System.nanoTime();
            int reps = 10;
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            return 2.0 * 1024 * 1024 * 1024 * reps / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
    }
}
