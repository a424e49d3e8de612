package io.bolmo.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.AttentionType;
import io.bolmo.config.OlmoConfig;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.tokenize.SubwordVocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Test fixtures: a tiny random Olmo 3 teacher (written once per JVM as a Hugging Face directory) with the
 * cl100k-8192 tokenizer, a small corpus, and job parameters for 2 chunks of 3 steps per stage at L=64, B=2.
 * Every test class of the module shares it, so none deletes it: it lives under {@code target/} (surefire's
 * {@code java.io.tmpdir}) and goes with {@code mvn clean}.
 */
final class TinyByteify {

    private static Path root;

    private TinyByteify() {}

    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("bolmo-batch-fixture");
                Path tokenizer = Paths.get(TinyByteify.class.getResource("/tokenizers/cl100k-8192/tokenizer.json")
                        .toURI());
                int vocab = SubwordVocabulary.load(tokenizer).size();
                OlmoConfig tc = new OlmoConfig("olmo3", vocab, 64, 128, 2, 4, 4, 16, 1e-6, 500000,
                        List.of(AttentionType.SLIDING_ATTENTION, AttentionType.FULL_ATTENTION), 16, false, null, 8192,
                        8195);
                try (NDManager m = NDManager.newBaseManager("PyTorch");
                        OlmoModel teacher = OlmoModel.create(tc, Weights.from(m, new RandomWeights(3)))) {
                    HfCheckpointWriter.to(root.resolve("teacher")).config(tc.toJson())
                            .weights(teacher.weights().all()).copy(tokenizer).write();
                }
                String sample = io.bolmo.bench.BenchResources.sampleText();
                Files.writeString(root.resolve("corpus.txt"), sample.replace("\n\n", "\n"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the test teacher", e);
            }
        }
        return root;
    }

    /** key=value pairs of a tiny job writing into {@code output}. */
    static Map<String, String> args(Path output) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("teacher", root().resolve("teacher").toString());
        a.put("corpus", root().resolve("corpus.txt").toString());
        a.put("output", output.toString());
        a.put("stage1-steps", "6");
        a.put("stage2-steps", "6");
        a.put("chunk-size", "3");
        a.put("batch-size", "2");
        a.put("seq-len", "64");
        a.put("max-patches", "24");
        a.put("stage1-lr", "3e-3");
        a.put("stage2-lr", "1e-3");
        a.put("decoder-layers", "1");
        a.put("local-heads", "4");
        a.put("local-intermediate", "96");
        a.put("held-out-every", "0");
        a.put("seed", "5");
        return a;
    }

    static JobParameters parameters(Map<String, String> args) {
        JobParametersBuilder b = new JobParametersBuilder();
        args.forEach(b::addString);
        return b.toJobParameters();
    }

    static JobParameters parameters(Path output) {
        return parameters(args(output));
    }

    /** All tensors of a Hugging Face directory as float arrays. */
    static Map<String, float[]> weights(Path dir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager("PyTorch"); HfCheckpoint hf = HfCheckpoint.open(dir)) {
            for (String name : hf.names()) {
                out.put(name, hf.load(name, m).toFloatArray());
            }
        }
        return out;
    }

    static double maxAbsDiff(Path a, Path b) {
        Map<String, float[]> x = weights(a);
        Map<String, float[]> y = weights(b);
        assertThat(y.keySet()).isEqualTo(x.keySet());
        double max = 0;
        for (String k : x.keySet()) {
            float[] u = x.get(k);
            float[] v = y.get(k);
            assertThat(v).hasSameSizeAs(u);
            for (int i = 0; i < u.length; i++) {
                max = Math.max(max, Math.abs(u[i] - v[i]));
            }
        }
        return max;
    }

    static void deleteQuietly(Path p) {
        try {
            io.bolmo.io.AtomicFiles.deleteTree(p);
        } catch (IOException | UncheckedIOException ignored) {
            // temp files of a test
        }
    }
}
