package io.bolmo.engine.vector;

import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.Tensors;
import io.bolmo.engine.vector.tensor.Bf16Matrix;
import io.bolmo.engine.vector.tensor.Bytes;
import io.bolmo.engine.vector.tensor.F32Matrix;
import io.bolmo.engine.vector.tensor.Matrices;
import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Q4Matrix;
import io.bolmo.engine.vector.tensor.Q8Matrix;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.TensorInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face directory in one {@link WeightFormat}. A tensor stored in the requested format is
 * memory-mapped and read in place (F32 as f32, BF16 as bf16: no conversion, no copy); any other is converted or
 * quantized row by row into the heap, the rows split across the threads. A {@code bolmo quantize} directory holds
 * each quantized matrix as {@code <name>.q8_0} (I8 {@code [rows, cols]}) and {@code <name>.q8_0_scales} (F32
 * {@code [rows, cols / 32]}), or as {@code <name>.q4_0} (U8 {@code [rows, cols / 2]}) and {@code <name>.q4_0_scales}
 * (F32 {@code [rows, cols / 32]}), which load as they are in their own format (and are converted for another).
 *
 * <p>q8_0 and q4_0 need a column count divisible by 32; a matrix without one (the small model's local MLP input of
 * 176) stays f32, and {@link #notes()} says so.
 */
final class CheckpointTensors implements Tensors, AutoCloseable {

    static final String Q8_DATA = TensorRecorder.Q8_DATA;
    static final String Q8_SCALES = TensorRecorder.Q8_SCALES;
    static final String Q4_DATA = TensorRecorder.Q4_DATA;
    static final String Q4_SCALES = TensorRecorder.Q4_SCALES;

    private final HfCheckpoint checkpoint;
    private final WeightFormat format;
    private final Parallel threads;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final Inventory inventory = new Inventory();

    CheckpointTensors(HfCheckpoint checkpoint, WeightFormat format, Parallel threads) {
        this.checkpoint = checkpoint;
        this.format = format;
        this.threads = threads;
    }

    @Override
    public Matrix matrix(String name, int rows, int cols) {
        Matrix m;
        Matrix blocks = quantized(name, rows, cols);
        if (blocks != null) {
            m = blocks.format() == format ? blocks
                    : Matrices.create(format, rows, cols, (r, out) -> blocks.row(r, out, 0), threads);
        } else {
            TensorInfo t = stored(name, rows, cols);
            WeightFormat f = format;
            if (!Matrices.fits(f, cols)) {
                notes.add(name + " [" + rows + ", " + cols + "] stays f32: " + f + " needs columns divisible by "
                        + Matrices.BLOCK);
                f = WeightFormat.F32;
            }
            m = inFormat(t, f, rows, cols);
        }
        return inventory.add(name, m);
    }

    @Override
    public Matrix f32Matrix(String name, int rows, int cols) {
        return inventory.add(name, inFormat(stored(name, rows, cols), WeightFormat.F32, rows, cols));
    }

    @Override
    public float[] vector(String name, int n) {
        TensorInfo t = stored(name, n);
        Bytes b = map(t);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = element(t.dtype(), b, i);
        }
        return inventory.add(name, out);
    }

    @Override
    public Parallel threads() {
        return threads;
    }

    /** The weights taken so far, as held in memory. */
    Inventory inventory() {
        return inventory;
    }

    /** Matrices that could not take the requested format. */
    List<String> notes() {
        return notes;
    }

    /** Fails when the checkpoint holds tensors no component took (another layout, a typo in a name). */
    void checkAllUsed() {
        Set<String> extra = new TreeSet<>(checkpoint.names());
        extra.removeAll(taken);
        if (!extra.isEmpty()) {
            throw new CheckpointException("unexpected tensor" + (extra.size() > 1 ? "s " : " ") + extra
                    + " in the checkpoint: no component of the model uses " + (extra.size() > 1 ? "them" : "it"));
        }
    }

    private Matrix inFormat(TensorInfo t, WeightFormat f, int rows, int cols) {
        if (f == WeightFormat.F32 && t.dtype() == SafetensorsDtype.F32) {
            return new F32Matrix(rows, cols, map(t));
        }
        if (f == WeightFormat.BF16 && t.dtype() == SafetensorsDtype.BF16) {
            return new Bf16Matrix(rows, cols, map(t));
        }
        Bytes b = map(t);
        SafetensorsDtype type = t.dtype();
        return Matrices.create(f, rows, cols, (r, out) -> {
            for (int k = 0; k < cols; k++) {
                out[k] = element(type, b, r * cols + k);
            }
        }, threads);
    }

    /** The q8_0 or q4_0 blocks of {@code name} in a {@code bolmo quantize} directory, as stored; null if none. */
    private Matrix quantized(String name, int rows, int cols) {
        boolean q8 = checkpoint.names().contains(name + Q8_DATA);
        if (!q8 && !checkpoint.names().contains(name + Q4_DATA)) {
            return null;
        }
        if (cols % Matrices.BLOCK != 0) {
            throw new CheckpointException("tensor '" + name + (q8 ? Q8_DATA : Q4_DATA) + "' has " + cols + " columns,"
                    + " which blocks of " + Matrices.BLOCK + " cannot hold");
        }
        // scales read into the heap too: floats load faster from an array than from a buffer (Bytes#getFloat)
        TensorInfo scales = info(name + (q8 ? Q8_SCALES : Q4_SCALES), SafetensorsDtype.F32, rows, cols / Matrices.BLOCK);
        if (q8) {
            return new Q8Matrix(rows, cols, read(info(name + Q8_DATA, SafetensorsDtype.I8, rows, cols)), read(scales));
        }
        return new Q4Matrix(rows, cols, read(info(name + Q4_DATA, SafetensorsDtype.U8, rows, cols / 2)), read(scales));
    }

    private TensorInfo info(String name, SafetensorsDtype dtype, long... shape) {
        TensorInfo t = stored(name, shape);
        if (t.dtype() != dtype) {
            throw new CheckpointException("tensor '" + name + "' has dtype " + t.dtype() + ", expected " + dtype);
        }
        return t;
    }

    /** The header entry of {@code name}, checked against the shape the model expects; marks it taken. */
    private TensorInfo stored(String name, long... shape) {
        if (!checkpoint.names().contains(name)) {
            throw new CheckpointException("missing tensor '" + name + "' (expected shape " + shapeText(shape) + ")");
        }
        TensorInfo t = checkpoint.info(name);
        if (!java.util.Arrays.equals(t.shape().getShape(), shape)) {
            throw new CheckpointException("tensor '" + name + "' has shape " + t.shape() + " but the model expects "
                    + shapeText(shape));
        }
        if (t.dtype() == SafetensorsDtype.I32 || t.dtype() == SafetensorsDtype.I64
                || (t.dtype() == SafetensorsDtype.I8 && !name.endsWith(Q8_DATA))
                || (t.dtype() == SafetensorsDtype.U8 && !name.endsWith(Q4_DATA))) {
            throw new CheckpointException("tensor '" + name + "' has dtype " + t.dtype() + "; weights must be F32,"
                    + " BF16 or F16");
        }
        taken.add(name);
        return t;
    }

    private static String shapeText(long... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private Bytes map(TensorInfo t) {
        return Bytes.map(channel(t), t.offset(), t.length());
    }

    /** Read into the heap rather than mapped: what q8_0 and q4_0 data need ({@link Q8Matrix}, {@link Q4Matrix}). */
    private Bytes read(TensorInfo t) {
        return Bytes.read(channel(t), t.offset(), t.length());
    }

    private FileChannel channel(TensorInfo t) {
        return channels.computeIfAbsent(t.file(), f -> {
            try {
                return FileChannel.open(f, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new CheckpointException("cannot open " + f + ": " + e.getMessage(), e);
            }
        });
    }

    /** Element {@code i} of a float tensor as float32. */
    private static float element(SafetensorsDtype type, Bytes b, int i) {
        return switch (type) {
            case F32 -> b.getFloat(4 * i);
            case BF16 -> Float.intBitsToFloat(b.getShort(2 * i) << 16);
            case F16 -> halfToFloat(b.getShort(2 * i));
            default -> throw new IllegalStateException("not a float tensor: " + type);
        };
    }

    /** IEEE half → float (exact; Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    @Override
    public void close() {
        for (FileChannel ch : channels.values()) {
            try {
                ch.close(); // mappings stay valid after their channel closes
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
        channels.clear();
    }
}
