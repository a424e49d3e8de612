package io.bolmo.engine.vector;

import io.bolmo.engine.vector.nn.Tensors;
import io.bolmo.engine.vector.tensor.Bf16Matrix;
import io.bolmo.engine.vector.tensor.F32Matrix;
import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Q4Matrix;
import io.bolmo.engine.vector.tensor.Q8Matrix;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every tensor request on to another {@link Tensors} and keeps what it handed out, in order, so that a model
 * built once can be written back as a Hugging Face directory exactly as the engine holds it: f32 and bf16 matrices
 * as F32 and BF16, q8_0 ones as {@code <name>.q8_0} (I8 {@code [rows, cols]}) plus {@code <name>.q8_0_scales} (F32
 * {@code [rows, cols / 32]}), q4_0 ones as {@code <name>.q4_0} (U8 {@code [rows, cols / 2]}, two weights a byte)
 * plus {@code <name>.q4_0_scales} (F32 {@code [rows, cols / 32]}), 1-D tensors as F32. Loading that directory in the
 * same format reads every byte as written (mapped, or the blocks as they are), so it computes exactly what the
 * recorded model computes.
 */
final class TensorRecorder implements Tensors {

    static final String Q8_DATA = ".q8_0";
    static final String Q8_SCALES = ".q8_0_scales";
    static final String Q4_DATA = ".q4_0";
    static final String Q4_SCALES = ".q4_0_scales";

    private final Tensors inner;
    private final List<SafetensorsWriter.RawTensor> tensors = new ArrayList<>();
    private int quantized;

    TensorRecorder(Tensors inner) {
        this.inner = inner;
    }

    @Override
    public Matrix matrix(String name, int rows, int cols) {
        return record(name, inner.matrix(name, rows, cols));
    }

    @Override
    public Matrix f32Matrix(String name, int rows, int cols) {
        return record(name, inner.f32Matrix(name, rows, cols));
    }

    @Override
    public float[] vector(String name, int n) {
        float[] v = inner.vector(name, n);
        tensors.add(new SafetensorsWriter.RawTensor(name, SafetensorsDtype.F32, new long[] {n}, ch -> {
            ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }));
        return v;
    }

    @Override
    public Parallel threads() {
        return inner.threads();
    }

    /** Matrices recorded in a block format (q8_0, q4_0). */
    int quantized() {
        return quantized;
    }

    /** Tensors recorded (a block matrix counts twice: blocks and scales). */
    int count() {
        return tensors.size();
    }

    private Matrix record(String name, Matrix m) {
        long[] shape = {m.rows(), m.cols()};
        if (m instanceof Q8Matrix q) {
            quantized++;
            tensors.add(new SafetensorsWriter.RawTensor(name + Q8_DATA, SafetensorsDtype.I8, shape, q.data()::writeTo));
            tensors.add(new SafetensorsWriter.RawTensor(name + Q8_SCALES, SafetensorsDtype.F32,
                    new long[] {m.rows(), m.cols() / Q8Matrix.BLOCK}, q.scales()::writeTo));
        } else if (m instanceof Q4Matrix q) {
            quantized++;
            tensors.add(new SafetensorsWriter.RawTensor(name + Q4_DATA, SafetensorsDtype.U8,
                    new long[] {m.rows(), m.cols() / 2}, q.data()::writeTo));
            tensors.add(new SafetensorsWriter.RawTensor(name + Q4_SCALES, SafetensorsDtype.F32,
                    new long[] {m.rows(), m.cols() / Q4Matrix.BLOCK}, q.scales()::writeTo));
        } else if (m instanceof Bf16Matrix b) {
            tensors.add(new SafetensorsWriter.RawTensor(name, SafetensorsDtype.BF16, shape, b.data()::writeTo));
        } else {
            tensors.add(new SafetensorsWriter.RawTensor(name, SafetensorsDtype.F32, shape,
                    ((F32Matrix) m).data()::writeTo));
        }
        return m;
    }

    /**
     * Writes {@code config.json} and the recorded tensors into {@code target}, with the regular files of
     * {@code extrasFrom} (tokenizer and such; null for none) beside them: into a temporary sibling swapped in whole.
     */
    void write(Path target, String configJson, SafetensorsWriter format, Path extrasFrom) {
        AtomicFiles.replaceDirectory(target, tmp -> {
            Files.writeString(tmp.resolve(HfCheckpoint.CONFIG_FILE), configJson, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            format.writeRawFile(tmp.resolve(SafetensorsWriter.SINGLE_FILE), tensors);
            if (extrasFrom != null) {
                copyOtherFiles(extrasFrom, tmp);
            }
        });
    }

    /** Tokenizer and other files travel with the weights; weights, index and config are written anew. */
    private static void copyOtherFiles(Path source, Path tmp) throws IOException {
        try (var files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.endsWith(".safetensors") && !name.equals(HfCheckpoint.CONFIG_FILE)
                        && !name.equals(SafetensorsWriter.INDEX_FILE) && !name.startsWith(".")) {
                    Files.copy(f, tmp.resolve(name));
                }
            }
        }
    }
}
