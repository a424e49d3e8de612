package io.bolmo.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@code .safetensors} file: an 8-byte little-endian header length N, N bytes of JSON, then raw
 * little-endian C-order data. Tensors are memory-mapped one at a time and copied into the caller's manager, so a
 * multi-GB file never passes through the Java heap; float types load as float32 (BF16 is widened on the
 * Java side, see {@link Bf16}).
 *
 * <p>Why not DJL's own reader ({@code NDList.decode(manager, stream)}, checked in DJL 0.35.1): it reads the whole
 * stream eagerly, keeps offsets as {@code int} (so files of 2 GiB or more fail), drops {@code __metadata__}, cannot
 * load one tensor by name, and knows nothing of sharded checkpoints. It serves for small all-F32 files only; the
 * tests use it as an independent cross-check of this reader on the golden model.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation refuses headers above 100 MB; so do we (a corrupt length must not OOM). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens {@code file} and parses and validates its header; data is read only by {@link #load}. */
    public static SafetensorsFile open(Path file) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // tensors are handed to torch as raw memory, which is only right when the host is little-endian
            throw new CheckpointException("safetensors loading needs a little-endian host");
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("safetensors file not found: " + file);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            new HeaderParser(file, ch).parse(tensors, metadata);
            return new SafetensorsFile(file, ch, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The header entry of {@code name}; throws naming the file when there is none. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(path + ": no tensor named '" + name + "'");
        }
        return t;
    }

    /** The {@code __metadata__} string map (empty when the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor {@code name} as a new array on {@code manager}: float32 for F32/BF16/F16, int32/int64 for I32/I64.
     * The array owns its memory (it is not a view of the mapping), so in-place updates are safe.
     */
    public NDArray load(String name, NDManager manager) {
        return load(name, manager, Pieces.PIECE_BYTES);
    }

    /** As {@link #load(String, NDManager)}, mapping at most {@code pieceBytes} at a time (tests use small ones). */
    NDArray load(String name, NDManager manager, long pieceBytes) {
        TensorInfo t = info(name);
        long n = t.shape().size();
        List<long[]> pieces = Pieces.of(n, t.dtype().byteSize(), pieceBytes);
        try {
            if (pieces.size() == 1) {
                return reshaped(readPiece(t, pieces.get(0), manager), t.shape());
            }
            NDArray out = manager.create(new Shape(n), t.dtype().loadedType());
            try {
                for (long[] p : pieces) {
                    try (NDArray piece = readPiece(t, p, manager)) {
                        out.set(new NDIndex("{}:{}", p[0], p[1]), piece);
                    }
                }
            } catch (IOException | RuntimeException e) {
                out.close();
                throw e;
            }
            return reshaped(out, t.shape());
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Elements {@code [p[0], p[1])} of {@code t} as an owned 1-D array of the loaded type. */
    private NDArray readPiece(TensorInfo t, long[] p, NDManager manager) throws IOException {
        int bytes = t.dtype().byteSize();
        Shape shape = new Shape(p[1] - p[0]);
        ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, t.offset() + p[0] * bytes,
                (p[1] - p[0]) * bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == SafetensorsDtype.BF16) {
            ByteBuffer floats = ByteBuffer.allocateDirect(Math.toIntExact(shape.size() * 4))
                    .order(ByteOrder.nativeOrder());
            Bf16.toFloat(data.asShortBuffer(), floats.asFloatBuffer());
            data = floats;
        }
        DataType stored = t.dtype() == SafetensorsDtype.BF16 ? DataType.FLOAT32 : t.dtype().storedType();
        // a direct buffer becomes a torch view of it (from_blob): copy so the array owns its memory, as the
        // mapping is read-only and a Java direct buffer is freed only by the garbage collector
        try (NDArray view = manager.create(data, shape, stored)) {
            return stored == t.dtype().loadedType() ? view.duplicate() : view.toType(t.dtype().loadedType(), true);
        }
    }

    private static NDArray reshaped(NDArray flat, Shape shape) {
        if (flat.getShape().equals(shape)) {
            return flat;
        }
        NDArray r = flat.reshape(shape);
        flat.close(); // r shares the storage; only this handle goes
        return r;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing was written through this channel; a failed close loses nothing
            }
        }
    }

    /** Reads bytes {@code [position, position + dst.remaining())} of {@code ch} into {@code dst}. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + position);
            }
            position += n;
        }
        dst.flip();
    }

    /** Parses and validates the JSON header against the file size; every error names the file (and tensor). */
    private static final class HeaderParser {
        private final Path file;
        private final FileChannel ch;

        HeaderParser(Path file, FileChannel ch) {
            this.file = file;
            this.ch = ch;
        }

        void parse(Map<String, TensorInfo> tensors, Map<String, String> metadata) throws IOException {
            long size = ch.size();
            if (size < 8) {
                throw invalid("file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.getLong();
            if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
                throw invalid("header length " + n + " is not sane (file size " + size + ", limit "
                        + MAX_HEADER_BYTES + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(ch, header, 8);
            String json = StandardCharsets.UTF_8.decode(header).toString();
            long dataStart = 8 + n;
            try (JsonReader r = new JsonReader(new StringReader(json))) {
                Set<String> seen = new HashSet<>();
                r.beginObject();
                while (r.hasNext()) {
                    String name = r.nextName();
                    if (!seen.add(name)) {
                        throw invalid("tensor '" + name + "' is listed twice in the header");
                    }
                    if (name.equals("__metadata__")) {
                        readMetadata(r, metadata);
                    } else {
                        tensors.put(name, readEntry(r, name, dataStart, size - dataStart));
                    }
                }
                r.endObject();
                if (r.peek() != JsonToken.END_DOCUMENT) {
                    throw invalid("trailing content after the header object");
                }
            } catch (IllegalStateException | NumberFormatException | ArithmeticException | IOException e) {
                // Gson reports structure errors as IllegalStateException, bad JSON as MalformedJsonException
                throw invalid("header is not valid safetensors JSON: " + e.getMessage());
            }
        }

        private void readMetadata(JsonReader r, Map<String, String> metadata) throws IOException {
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (r.peek() != JsonToken.STRING) {
                    throw invalid("__metadata__ value of '" + key + "' is not a string");
                }
                metadata.put(key, r.nextString());
            }
            r.endObject();
        }

        private TensorInfo readEntry(JsonReader r, String name, long dataStart, long dataSize) throws IOException {
            String dtype = null;
            long[] shape = null;
            long[] offsets = null;
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "dtype" -> dtype = r.nextString();
                    case "shape" -> shape = longs(r);
                    case "data_offsets" -> offsets = longs(r);
                    default -> r.skipValue();
                }
            }
            r.endObject();
            if (dtype == null || shape == null || offsets == null || offsets.length != 2) {
                throw invalid("tensor '" + name + "' needs dtype, shape and two data_offsets");
            }
            SafetensorsDtype type = SafetensorsDtype.parse(dtype, name, file);
            long elements = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw invalid("tensor '" + name + "' has a negative dimension in shape " + new Shape(shape));
                }
                elements = Math.multiplyExact(elements, d);
            }
            long expected = Math.multiplyExact(elements, type.byteSize());
            long begin = offsets[0];
            long end = offsets[1];
            if (begin < 0 || end < begin || end > dataSize) {
                throw invalid("tensor '" + name + "' has data_offsets [" + begin + ", " + end
                        + "] outside the data section of " + dataSize + " bytes");
            }
            if (end - begin != expected) {
                throw invalid("tensor '" + name + "' spans " + (end - begin) + " bytes but shape " + new Shape(shape)
                        + " of " + dtype + " needs " + expected);
            }
            return new TensorInfo(name, type, new Shape(shape), file, dataStart + begin, expected);
        }

        private static long[] longs(JsonReader r) throws IOException {
            List<Long> values = new ArrayList<>();
            r.beginArray();
            while (r.hasNext()) {
                values.add(r.nextLong());
            }
            r.endArray();
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private CheckpointException invalid(String why) {
            return new CheckpointException(file + ": " + why);
        }
    }
}
