package io.bolmo.cli;

import io.bolmo.bench.BenchResources;

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
import io.bolmo.train.TeacherInit;
import io.bolmo.train.TrainingSettings;
import io.bolmo.train.data.BatchIterator;
import io.bolmo.train.data.ByteDocumentEncoder;
import io.bolmo.train.data.Corpus;
import io.bolmo.train.data.CorpusOptions;
import io.bolmo.train.data.PipelineOptions;
import io.bolmo.train.data.TrainingBatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bolmo bench-train}: Stage 1 training throughput on a random Olmo 3 teacher of a chosen width, and the
 * fraction of the machine's float32 matmul peak it reaches, measured in one run. FLOPs are counted from parameter
 * counts: 6 per trainable parameter per byte for the local models and LM head (forward + backward), 6 per global
 * parameter per patch through the frozen blocks L_enc runs (their backward still computes activation gradients),
 * 2 per teacher parameter per token; attention and mLSTM score terms are left out, so the fraction is a lower bound.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Measure Stage 1 training throughput (bytes/s) and the fraction of the matmul peak.")
final class TrainBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dim", defaultValue = "128", description = "Hidden size of teacher and student (default 128).")
    int dim;

    @Option(names = "--layers", defaultValue = "4", description = "Teacher (global) layers (default 4).")
    int layers;

    @Option(names = "--steps", defaultValue = "30", description = "Timed optimizer steps (default 30).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default 5).")
    int warmup;

    @Option(names = "--batch-size", defaultValue = "4", description = "Windows per batch (default 4).")
    int batchSize;

    @Option(names = "--seq-len", defaultValue = "256", description = "Bytes per window (default 256).")
    int seqLen;

    @Override
    public Integer call() throws IOException {
        if (dim % 64 != 0 || layers < 1 || steps < 1 || warmup < 0 || batchSize < 1 || seqLen < 16) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dim must be a multiple of 64, "
                    + "--layers/--steps/--batch-size >= 1, --warmup >= 0, --seq-len >= 16; got dim " + dim
                    + ", layers " + layers + ", steps " + steps + ", warmup " + warmup + ", batch " + batchSize
                    + ", seq-len " + seqLen);
        }
        Path tokenizer = BenchResources.tokenizerFile(null);
        Path corpusFile = Files.createTempFile("bolmo-bench-corpus", ".txt");
        Files.writeString(corpusFile, String.join("\n", Collections.nCopies(20, BenchResources.sampleText())));
        SubwordVocabulary vocab = SubwordVocabulary.load(tokenizer);
        int heads = dim / 32;
        List<AttentionType> types = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            types.add((i + 1) % 4 == 0 || i == layers - 1 ? AttentionType.FULL_ATTENTION : AttentionType.SLIDING_ATTENTION);
        }
        OlmoConfig teacherConfig = new OlmoConfig("olmo3", vocab.size(), dim, 4 * dim, layers, heads, heads, 32, 1e-6,
                500000, types, 64, false, null, vocab.eosId(), vocab.padId());
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                HfSubwordEncoder hf = HfSubwordEncoder.open(tokenizer);
                Corpus corpus = Corpus.open(corpusFile, CorpusOptions.DEFAULT);
                OlmoModel teacher = OlmoModel.create(teacherConfig, Weights.from(m, new RandomWeights(1)))) {
            double peak = matmulGflops(m);
            BolmoConfig config = TeacherInit.configFor(teacherConfig, 1, 4, heads, dim * 11 / 8, vocab.size(), null);
            BatchIterator batches = BatchIterator.start(corpus, new ByteDocumentEncoder(hf, vocab),
                    PipelineOptions.training(seqLen, seqLen / 2, batchSize, 7).withHeldOutEvery(0));
            try (BolmoModel student = TeacherInit.student(config, teacher, 7, m);
                    ByteifyTrainer trainer = new ByteifyTrainer(TrainingSettings.stage1(warmup + steps), student,
                            teacher, vocab, SubwordSuffixTrie.build(vocab))) {
                for (int i = 0; i < warmup; i++) {
                    trainer.step(batches.next());
                }
                long bytes = 0;
                double flops = 0;
                StepMetrics last = null;
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    TrainingBatch batch = batches.next();
                    last = trainer.step(batch);
                    bytes += batch.realBytes();
                    flops += stepFlops(student, teacher, batch);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                table(out, config, peak, bytes / seconds, flops / seconds / 1e9, seconds, last);
            }
        } finally {
            Files.deleteIfExists(corpusFile);
        }
        return 0;
    }

    /** FLOPs of one Stage 1 step by the parameter-count rule of the class comment. */
    private double stepFlops(BolmoModel student, OlmoModel teacher, TrainingBatch batch) {
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

    private void table(PrintWriter out, BolmoConfig config, double peak, double bytesPerSecond, double gflops,
            double seconds, StepMetrics last) {
        out.println("### bolmo bench-train, " + java.time.Instant.now());
        out.println();
        out.printf("Stage 1 on a random Olmo 3 teacher (d %d, %d layers), student with 1 encoder and 4 decoder blocks; "
                + "batch %d x %d bytes%n%n", config.hiddenSize(), config.global().numHiddenLayers(), batchSize, seqLen);
        out.println("| figure | value | notes |");
        out.println("|---|---|---|");
        out.printf("| float32 matmul peak | %.0f GFLOP/s | 1024^3 GEMM, best effort over 10 runs |%n", peak);
        out.printf("| training throughput | %.0f B/s | %d steps in %.1f s after %d warm-up steps |%n", bytesPerSecond,
                steps, seconds, warmup);
        out.printf("| training compute | %.2f GFLOP/s | parameter-count estimate (lower bound) |%n", gflops);
        out.printf("| fraction of matmul peak | %.3f | |%n", gflops / peak);
        out.printf("| last step | %s | |%n", last.format());
        out.flush();
    }
}
