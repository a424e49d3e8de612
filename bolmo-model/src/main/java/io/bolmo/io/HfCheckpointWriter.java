package io.bolmo.io;

import ai.djl.ndarray.NDArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a Hugging Face model directory ({@code config.json}, safetensors weights, extra files such as
 * {@code tokenizer.json}) atomically: all of it goes into a temporary sibling that replaces the target only when
 * complete (see {@link AtomicFiles#replaceDirectory}), so {@link HfCheckpoint} never sees a half-written one.
 */
public final class HfCheckpointWriter {

    private final Path target;
    private String configJson;
    private Map<String, NDArray> weights;
    private SafetensorsWriter format = SafetensorsWriter.create();
    private final Map<String, Object> extras = new LinkedHashMap<>();

    private HfCheckpointWriter(Path target) {
        this.target = target;
    }

    /** A writer for the directory {@code target} (created or replaced by {@link #write()}). */
    public static HfCheckpointWriter to(Path target) {
        return new HfCheckpointWriter(target);
    }

    /** The text of {@code config.json}, e.g. {@code BolmoConfig.toJson()}. */
    public HfCheckpointWriter config(String json) {
        this.configJson = json;
        return this;
    }

    /** The tensors, written in map order. */
    public HfCheckpointWriter weights(Map<String, NDArray> tensors) {
        this.weights = tensors;
        return this;
    }

    /** Stored types, metadata and shard size (default: F32, unsharded). */
    public HfCheckpointWriter format(SafetensorsWriter writer) {
        this.format = writer;
        return this;
    }

    /** Copies {@code file} into the checkpoint under its own file name. */
    public HfCheckpointWriter copy(Path file) {
        return put(file.getFileName().toString(), file);
    }

    /** Copies {@code file} into the checkpoint as {@code name} (e.g. any tokenizer file as {@code tokenizer.json}). */
    public HfCheckpointWriter copy(Path file, String name) {
        return put(name, file);
    }

    /** Adds a text file {@code name} with {@code content}. */
    public HfCheckpointWriter text(String name, String content) {
        return put(name, content);
    }

    private HfCheckpointWriter put(String name, Object content) {
        // extras must not shadow what the writer itself produces (config, weights, index)
        if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.equals(HfCheckpoint.CONFIG_FILE)
                || name.endsWith(".safetensors") || name.equals(SafetensorsWriter.INDEX_FILE)) {
            throw new IllegalArgumentException("not a plain extra file name: " + name);
        }
        extras.put(name, content);
        return this;
    }

    /** Writes everything and swaps it into place; returns the target directory. */
    public Path write() {
        if (configJson == null || weights == null) {
            throw new IllegalStateException("a checkpoint needs config(...) and weights(...) before write()");
        }
        AtomicFiles.replaceDirectory(target, tmp -> {
            Files.writeString(tmp.resolve(HfCheckpoint.CONFIG_FILE), configJson, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            format.writeCheckpoint(tmp, weights);
            for (Map.Entry<String, Object> e : extras.entrySet()) {
                Path dst = tmp.resolve(e.getKey());
                if (e.getValue() instanceof Path src) {
                    Files.copy(src, dst);
                } else {
                    Files.writeString(dst, (String) e.getValue(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
            }
        });
        return target;
    }
}
