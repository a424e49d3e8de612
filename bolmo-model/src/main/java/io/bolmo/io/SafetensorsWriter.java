package io.bolmo.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes named arrays (in map order) as safetensors: floats as F32, BF16 or F16, integers as I32 or I64, with a
 * {@code __metadata__} block ({@code "format":"pt"} at least), as one file or as Hugging Face shards plus
 * {@code model.safetensors.index.json}. Each file is written atomically. Immutable; the setters return copies.
 *
 * <p>float32 to bfloat16/float16 rounds to nearest, ties to even, as PyTorch's own {@code .to(torch.bfloat16)}
 * does (float16 by torch, bfloat16 in {@link Bf16}).
 */
public final class SafetensorsWriter {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final SafetensorsDtype floatType;
    private final SafetensorsDtype intType;
    private final Map<String, String> metadata;
    private final long maxShardBytes;

    private SafetensorsWriter(SafetensorsDtype floatType, SafetensorsDtype intType, Map<String, String> metadata,
                              long maxShardBytes) {
        this.floatType = floatType;
        this.intType = intType;
        this.metadata = metadata;
        this.maxShardBytes = maxShardBytes;
    }

    /** F32 floats, I32 integers, metadata {@code {"format":"pt"}}, no sharding. */
    public static SafetensorsWriter create() {
        return new SafetensorsWriter(SafetensorsDtype.F32, SafetensorsDtype.I32, Map.of("format", "pt"),
                Long.MAX_VALUE);
    }

    /** How float arrays are stored: F32, BF16 or F16. */
    public SafetensorsWriter floatType(SafetensorsDtype type) {
        if (!type.storedType().isFloating()) {
            throw new IllegalArgumentException("not a float type: " + type);
        }
        return new SafetensorsWriter(type, intType, metadata, maxShardBytes);
    }

    /** How integer arrays are stored: I32 or I64. */
    public SafetensorsWriter intType(SafetensorsDtype type) {
        if (!type.storedType().isInteger()) {
            throw new IllegalArgumentException("not an integer type: " + type);
        }
        return new SafetensorsWriter(floatType, type, metadata, maxShardBytes);
    }

    /** Adds (or replaces) one {@code __metadata__} entry. */
    public SafetensorsWriter metadata(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(key, value);
        return new SafetensorsWriter(floatType, intType, Map.copyOf(m), maxShardBytes);
    }

    /** {@link #writeCheckpoint} starts a new shard before a tensor that would push a shard past this size. */
    public SafetensorsWriter maxShardBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max shard size must be positive: " + bytes);
        }
        return new SafetensorsWriter(floatType, intType, metadata, bytes);
    }

    /** Writes all tensors into one file, atomically (the shard size does not apply). */
    public void writeFile(Path file, Map<String, NDArray> tensors) {
        List<Entry> entries = entries(tensors);
        AtomicFiles.writeFile(file, tmp -> write(tmp, entries));
    }

    /**
     * Writes the weights of a Hugging Face checkpoint into {@code dir}: {@code model.safetensors} when everything
     * fits one shard, else {@code model-0000i-of-0000n.safetensors} plus the index. Returns the files written.
     * Each file is atomic, the set is not: write into a fresh directory (see {@link HfCheckpointWriter}).
     */
    public List<Path> writeCheckpoint(Path dir, Map<String, NDArray> tensors) {
        List<List<Entry>> shards = shard(entries(tensors));
        List<Path> files = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve(SINGLE_FILE);
            AtomicFiles.writeFile(file, tmp -> write(tmp, shards.get(0)));
            files.add(file);
            return files;
        }
        JsonObject weightMap = new JsonObject();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            List<Entry> shard = shards.get(i);
            Path file = dir.resolve(name);
            AtomicFiles.writeFile(file, tmp -> write(tmp, shard));
            files.add(file);
            for (Entry e : shard) {
                weightMap.addProperty(e.name, name);
                total += e.bytes();
            }
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("total_size", total);
        JsonObject index = new JsonObject();
        index.add("metadata", meta);
        index.add("weight_map", weightMap);
        Path indexFile = dir.resolve(INDEX_FILE);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(index);
        AtomicFiles.writeFile(indexFile, tmp -> Files.writeString(tmp, json + "\n", StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        files.add(indexFile);
        return files;
    }

    /** A tensor with the type it will be stored as: an array, or bytes already in that type. */
    private record Entry(String name, NDArray array, SafetensorsDtype type, long[] shape, RawData raw) {
        Entry(String name, NDArray array, SafetensorsDtype type) {
            this(name, array, type, array.getShape().getShape(), null);
        }

        long bytes() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n * type.byteSize();
        }
    }

    /** Writes a raw tensor's stored bytes (little-endian, in its dtype) to a channel, all of them, in order. */
    @FunctionalInterface
    public interface RawData {
        void writeTo(WritableByteChannel channel) throws IOException;
    }

    /**
     * A tensor given as its stored bytes rather than an array: what an engine that keeps weights outside DJL (the
     * Java engine's int8 blocks, say) writes. {@code data} must write exactly {@code shape} × {@code dtype} bytes.
     */
    public record RawTensor(String name, SafetensorsDtype dtype, long[] shape, RawData data) {}

    /** Writes raw tensors into one file, atomically; a tensor that writes the wrong byte count fails the file. */
    public void writeRawFile(Path file, List<RawTensor> tensors) {
        List<Entry> entries = new ArrayList<>(tensors.size());
        for (RawTensor t : tensors) {
            entries.add(new Entry(t.name(), null, t.dtype(), t.shape().clone(), t.data()));
        }
        AtomicFiles.writeFile(file, tmp -> write(tmp, entries));
    }

    private List<Entry> entries(Map<String, NDArray> tensors) {
        List<Entry> entries = new ArrayList<>(tensors.size());
        tensors.forEach((name, a) -> entries.add(new Entry(name, a, storedType(name, a.getDataType()))));
        return entries;
    }

    private SafetensorsDtype storedType(String name, DataType type) {
        if (type.isFloating()) {
            return floatType;
        }
        if (type.isInteger()) {
            return intType;
        }
        throw new CheckpointException("tensor '" + name + "' has type " + type + ", which safetensors writing"
                + " does not support (floats and integers only)");
    }

    private List<List<Entry>> shard(List<Entry> entries) {
        List<List<Entry>> shards = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        long size = 0;
        for (Entry e : entries) {
            if (!current.isEmpty() && size + e.bytes() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(e);
            size += e.bytes();
        }
        shards.add(current);
        return shards;
    }

    private void write(Path file, List<Entry> entries) throws IOException {
        byte[] header = header(entries);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            writeFully(ch, len.flip());
            writeFully(ch, ByteBuffer.wrap(header));
            for (Entry e : entries) {
                if (e.raw != null) {
                    long before = ch.position();
                    e.raw.writeTo(ch);
                    if (ch.position() - before != e.bytes()) {
                        throw new IOException("tensor '" + e.name + "' wrote " + (ch.position() - before)
                                + " bytes, its header says " + e.bytes());
                    }
                } else {
                    writeData(ch, e);
                }
            }
        }
    }

    /** The JSON header, space-padded to a multiple of 8 so the data section starts aligned. */
    private byte[] header(List<Entry> entries) {
        JsonObject h = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        h.add("__metadata__", meta);
        long offset = 0;
        for (Entry e : entries) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.type.headerName());
            JsonArray shape = new JsonArray();
            for (long d : e.shape) {
                shape.add(d);
            }
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + e.bytes());
            t.add("data_offsets", offsets);
            h.add(e.name, t);
            offset += e.bytes();
        }
        byte[] json = GSON.toJson(h).getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /** Streams the tensor piece by piece (int-indexed buffers; bounded memory for the BF16 conversion). */
    private static void writeData(FileChannel ch, Entry e) throws IOException {
        long n = e.array.getShape().size();
        List<long[]> pieces = Pieces.of(n, e.type.byteSize(), Pieces.PIECE_BYTES);
        try (NDArray flat = e.array.reshape(-1)) {
            for (long[] p : pieces) {
                if (pieces.size() == 1) {
                    writePiece(ch, flat, e.type);
                } else {
                    try (NDArray part = flat.get(new NDIndex("{}:{}", p[0], p[1]))) {
                        writePiece(ch, part, e.type);
                    }
                }
            }
        }
    }

    private static void writePiece(FileChannel ch, NDArray part, SafetensorsDtype type) throws IOException {
        // BF16 is rounded in Java (see Bf16); everything else is cast by torch
        DataType via = type == SafetensorsDtype.BF16 ? DataType.FLOAT32 : type.storedType();
        NDArray cast = part.getDataType() == via ? part : part.toType(via, false);
        try {
            ByteBuffer data = cast.toByteBuffer().order(ByteOrder.nativeOrder());
            if (type == SafetensorsDtype.BF16) {
                ByteBuffer halves = ByteBuffer.allocate(data.remaining() / 2).order(ByteOrder.LITTLE_ENDIAN);
                Bf16.fromFloat(data.asFloatBuffer(), halves.asShortBuffer());
                data = halves;
            }
            writeFully(ch, data);
        } finally {
            if (cast != part) {
                cast.close();
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
