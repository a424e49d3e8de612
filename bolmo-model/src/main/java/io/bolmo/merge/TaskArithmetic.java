package io.bolmo.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.HfCheckpointWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * "Zero-cost upgrades" by task arithmetic (model.md §11, {@code instructify.py}): every Bolmo tensor whose name and
 * shape match the source model's gets {@code θ_B + α (θ_post − θ_base)} (in practice the global blocks and the final
 * norm); everything else (local encoder/decoder, boundary predictor, the byte-level LM head) is copied unchanged.
 * With {@code embeddings}, the retained subword table gets the first {@code subword_vocab_size} rows of the
 * embedding delta. Each skipped or mismatched tensor is reported.
 */
public final class TaskArithmetic {

    static final String SUBWORD_TABLE = "model.local_encoder.subword_embedding.weight";
    static final String SOURCE_EMBEDDING = "model.embed_tokens.weight";

    /** What happened to each Bolmo tensor. */
    public record Report(List<String> merged, List<String> unmatched, List<String> shapeMismatch) {

        public String describe() {
            return "merged " + merged.size() + " tensors; kept " + unmatched.size()
                    + " Bolmo-only tensors unchanged (no tensor of that name in the source model); skipped "
                    + shapeMismatch.size() + " with a different shape: " + shapeMismatch;
        }
    }

    private TaskArithmetic() {}

    /**
     * Writes {@code bolmo + alpha (postTrained − base)} to {@code out} (atomically, with the Bolmo directory's other
     * files such as its tokenizer copied along).
     */
    public static Report merge(Path bolmo, Path base, Path postTrained, double alpha, boolean embeddings, Path out) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha = " + alpha + " is invalid: must be a finite number");
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                HfCheckpoint b = HfCheckpoint.open(bolmo);
                HfCheckpoint src = HfCheckpoint.open(base);
                HfCheckpoint post = HfCheckpoint.open(postTrained)) {
            checkSameLayout(src, post);
            List<String> merged = new ArrayList<>();
            List<String> unmatched = new ArrayList<>();
            List<String> mismatch = new ArrayList<>();
            Map<String, NDArray> result = new LinkedHashMap<>();
            for (String name : b.names()) {
                NDArray theta = b.load(name, manager);
                String source = embeddings && name.equals(SUBWORD_TABLE) ? SOURCE_EMBEDDING : name;
                if (!src.names().contains(source)) {
                    unmatched.add(name);
                } else if (source.equals(SOURCE_EMBEDDING)) {
                    // the retained table holds the first subword_vocab_size rows of the (padded) embedding
                    NDArray delta = post.load(source, manager).sub(src.load(source, manager));
                    theta = add(theta, delta.get(new NDIndex(":{}", theta.getShape().get(0))), alpha, name, mismatch,
                            merged);
                } else {
                    theta = add(theta, post.load(source, manager).sub(src.load(source, manager)), alpha, name,
                            mismatch, merged);
                }
                result.put(name, theta);
            }
            HfCheckpointWriter writer = HfCheckpointWriter.to(out).config(b.configJson()).weights(result);
            extraFiles(bolmo).forEach(writer::copy);
            writer.write();
            return new Report(List.copyOf(merged), List.copyOf(unmatched), List.copyOf(mismatch));
        }
    }

    private static NDArray add(NDArray theta, NDArray delta, double alpha, String name, List<String> mismatch,
            List<String> merged) {
        if (!delta.getShape().equals(theta.getShape())) {
            mismatch.add(name + " " + theta.getShape() + " vs source " + delta.getShape());
            return theta;
        }
        merged.add(name);
        return theta.add(delta.mul((float) alpha));
    }

    /** The base and the post-trained model must be two versions of one architecture. */
    private static void checkSameLayout(HfCheckpoint base, HfCheckpoint post) {
        if (!base.names().equals(post.names())) {
            throw new IllegalArgumentException("the base model " + base.directory() + " and the post-trained model "
                    + post.directory() + " have different tensor names; task arithmetic needs two versions of one model");
        }
        for (String name : base.names()) {
            if (!base.info(name).shape().equals(post.info(name).shape())) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + base.info(name).shape()
                        + " in the base model but " + post.info(name).shape() + " in the post-trained model");
            }
        }
    }

    /** Files of the Bolmo directory other than its config and weights (tokenizer, vocabulary, README). */
    private static List<Path> extraFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return !n.equals(HfCheckpoint.CONFIG_FILE) && !n.endsWith(".safetensors")
                        && !n.equals("model.safetensors.index.json") && !n.startsWith(".");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
