package io.bolmo.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.nn.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Hugging Face model directory: {@code config.json} plus weights, either one {@code model.safetensors} or shards
 * listed in {@code model.safetensors.index.json} (the single file wins when both exist, as in transformers). As a
 * {@link Weights.Source} it loads each tensor lazily, as float32 for float types. Close it to release the files.
 */
public final class HfCheckpoint implements Weights.Source, AutoCloseable {

    public static final String CONFIG_FILE = "config.json";

    private final Path directory;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;
    private final boolean sharded;

    private HfCheckpoint(Path directory, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor,
                         boolean sharded) {
        this.directory = directory;
        this.sharded = sharded;
        this.files = files;
        this.byTensor = byTensor;
    }

    /** Opens {@code dir}, reading every safetensors header; tensor data is read only when loaded. */
    public static HfCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory not found: " + dir + leftoverHint(dir));
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG_FILE))) {
            throw new CheckpointException("checkpoint " + dir + " has no " + CONFIG_FILE);
        }
        Path single = dir.resolve(SafetensorsWriter.SINGLE_FILE);
        Path index = dir.resolve(SafetensorsWriter.INDEX_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            f.names().forEach(n -> byTensor.put(n, f));
            return new HfCheckpoint(dir, List.of(f), Collections.unmodifiableMap(byTensor), false);
        }
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        throw new CheckpointException("checkpoint " + dir + " has no weights: neither "
                + SafetensorsWriter.SINGLE_FILE + " nor " + SafetensorsWriter.INDEX_FILE);
    }

    /**
     * The Bolmo model in {@code dir} with its weights on {@code manager}: the one call that opens a checkpoint and
     * creates the model (the files are released once the weights are loaded).
     */
    public static BolmoModel loadBolmo(Path dir, NDManager manager) {
        try (HfCheckpoint hf = open(dir)) {
            return BolmoModel.create(hf.bolmoConfig(), Weights.from(manager, hf));
        }
    }

    /** The subword Olmo 2 / Olmo 3 model in {@code dir} with its weights on {@code manager}. */
    public static OlmoModel loadOlmo(Path dir, NDManager manager) {
        try (HfCheckpoint hf = open(dir)) {
            return OlmoModel.create(hf.olmoConfig(), Weights.from(manager, hf));
        }
    }

    private static HfCheckpoint openSharded(Path dir, Path index) {
        Map<String, Path> weightMap = ShardIndex.read(index);
        Map<Path, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : weightMap.entrySet()) {
                Path shard = e.getValue();
                if (!shards.containsKey(shard)) {
                    if (!Files.isRegularFile(shard)) {
                        throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is mapped to shard "
                                + shard.getFileName() + ", which does not exist in " + dir);
                    }
                    shards.put(shard, SafetensorsFile.open(shard));
                }
            }
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : weightMap.entrySet()) {
                SafetensorsFile f = shards.get(e.getValue());
                if (!f.contains(e.getKey())) {
                    throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is mapped to "
                            + f.path().getFileName() + ", which does not contain it");
                }
                byTensor.put(e.getKey(), f);
            }
            for (SafetensorsFile f : shards.values()) {
                for (String name : f.names()) {
                    if (byTensor.get(name) != f) {
                        String listed = weightMap.containsKey(name)
                                ? "is listed twice: in " + weightMap.get(name).getFileName() + " (per the index) and in "
                                : "is not in the index but in ";
                        throw new CheckpointException(dir + ": tensor '" + name + "' " + listed
                                + f.path().getFileName());
                    }
                }
            }
            return new HfCheckpoint(dir, List.copyOf(shards.values()), Collections.unmodifiableMap(byTensor), true);
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public Path configFile() {
        return directory.resolve(CONFIG_FILE);
    }

    /** The raw text of {@code config.json}. */
    public String configJson() {
        try {
            return Files.readString(configFile());
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + configFile() + ": " + e.getMessage(), e);
        }
    }

    /** {@code config.json} read as a Bolmo configuration. */
    public BolmoConfig bolmoConfig() {
        return BolmoConfig.load(configFile());
    }

    /** {@code config.json} read as an OLMo 2 / Olmo 3 configuration (a subword teacher checkpoint). */
    public OlmoConfig olmoConfig() {
        return OlmoConfig.load(configFile());
    }

    /** The safetensors files, in index order. */
    public List<Path> weightFiles() {
        return files.stream().map(SafetensorsFile::path).toList();
    }

    /** True when the weights come from an index and shards. */
    public boolean sharded() {
        return sharded;
    }

    /** The {@code __metadata__} of the first weight file (Hugging Face writes the same block into every shard). */
    public Map<String, String> metadata() {
        return files.get(0).metadata();
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    /** The header entry of {@code name}; throws naming the checkpoint when there is none. */
    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    /** Weights.Source: the stored tensor (its own shape; {@code expected} is checked by the caller), or null. */
    @Override
    public NDArray load(String name, Shape expected, NDManager manager) {
        SafetensorsFile f = byTensor.get(name);
        return f == null ? null : f.load(name, manager);
    }

    /** The tensor {@code name} on {@code manager}; throws naming the checkpoint when there is none. */
    public NDArray load(String name, NDManager manager) {
        return fileOf(name).load(name, manager);
    }

    private SafetensorsFile fileOf(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new CheckpointException("checkpoint " + directory + " has no tensor named '" + name + "'");
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    /** After a crash mid-swap the previous checkpoint survives under a dot name; say so instead of just "missing". */
    private static String leftoverHint(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return "";
        }
        String prefix = "." + dir.getFileName() + ".";
        try (Stream<Path> s = Files.list(parent)) {
            List<String> left = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().forEach(left::add);
            return left.isEmpty() ? "" : " (an interrupted write left " + left + " in " + parent + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
