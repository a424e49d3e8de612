package io.bolmo.engine.vector;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.BolmoModel;
import io.bolmo.engine.vector.nn.OlmoModel;
import io.bolmo.engine.vector.nn.Tensors;
import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Q8Matrix;
import io.bolmo.io.AtomicFiles;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsDtype;
import io.bolmo.io.SafetensorsWriter;
import io.bolmo.io.TensorInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bolmo quantize}: a Hugging Face directory with its matrices in q8_0, which the Java engine loads again as
 * it is (no re-quantization, so it decodes exactly what quantizing at load decodes). Which matrices become q8_0 is
 * decided by building the model once in q8_0, as loading does; each of them is stored as {@code <name>.q8_0} (I8
 * {@code [rows, cols]}) and {@code <name>.q8_0_scales} (F32 {@code [rows, cols / 32]}). Every other tensor is
 * copied byte for byte in its stored dtype, and {@code config.json} gets a {@code quantization_config} entry. The
 * directory is written into a temporary sibling and swapped in whole ({@link AtomicFiles#replaceDirectory}).
 */
public final class QuantizedCheckpoint {

    /** What was written. */
    public record Report(Path target, int quantized, int copied, long sourceBytes, long targetBytes) {}

    private QuantizedCheckpoint() {}

    /** Quantizes the checkpoint at {@code source} (Bolmo or Olmo 2/3) into {@code target}. */
    public static Report write(Path source, Path target, WeightFormat format, int threads) {
        if (format != WeightFormat.Q8_0) {
            throw new IllegalArgumentException("dtype = " + format + " cannot be written as a quantized directory;"
                    + " allowed: q8_0 (a bf16 or f32 checkpoint loads as it is)");
        }
        if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --model (" + source + ")");
        }
        try (HfCheckpoint checkpoint = HfCheckpoint.open(source);
                Parallel pool = new Parallel(threads > 0 ? threads : Parallel.defaultThreads());
                CheckpointTensors tensors = new CheckpointTensors(checkpoint, format, pool)) {
            Map<String, Q8Matrix> quantized = new LinkedHashMap<>();
            build(checkpoint, new Recording(tensors, quantized));
            tensors.checkAllUsed();
            List<SafetensorsWriter.RawTensor> out = new ArrayList<>();
            int copied = 0;
            long sourceBytes = 0;
            for (String name : checkpoint.names()) {
                TensorInfo t = checkpoint.info(name);
                sourceBytes += t.length();
                String base = name.endsWith(CheckpointTensors.Q8_SCALES) ? null
                        : name.endsWith(CheckpointTensors.Q8_DATA)
                        ? name.substring(0, name.length() - CheckpointTensors.Q8_DATA.length()) : name;
                Q8Matrix q = base == null ? null : quantized.get(base);
                if (q != null) {
                    out.add(new SafetensorsWriter.RawTensor(base + CheckpointTensors.Q8_DATA, SafetensorsDtype.I8,
                            new long[] {q.rows(), q.cols()}, q.data()::writeTo));
                    out.add(new SafetensorsWriter.RawTensor(base + CheckpointTensors.Q8_SCALES, SafetensorsDtype.F32,
                            new long[] {q.rows(), q.cols() / Q8Matrix.BLOCK}, q.scales()::writeTo));
                } else if (base != null) {
                    out.add(new SafetensorsWriter.RawTensor(name, t.dtype(), t.shape().getShape(), ch -> copy(t, ch)));
                    copied++;
                }
            }
            String config = withQuantization(checkpoint.configJson());
            AtomicFiles.replaceDirectory(target, tmp -> {
                Files.writeString(tmp.resolve(HfCheckpoint.CONFIG_FILE), config, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                SafetensorsWriter.create().metadata("quantization", "q8_0")
                        .writeRawFile(tmp.resolve(SafetensorsWriter.SINGLE_FILE), out);
                copyOtherFiles(source, tmp);
            });
            long targetBytes = Files.size(target.resolve(SafetensorsWriter.SINGLE_FILE));
            return new Report(target, quantized.size(), copied, sourceBytes, targetBytes);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Builds the model the checkpoint holds, so that every matrix is taken in the requested format. */
    private static void build(HfCheckpoint checkpoint, Tensors tensors) {
        JsonObject config = JsonParser.parseString(checkpoint.configJson()).getAsJsonObject();
        String type = config.has("model_type") ? config.get("model_type").getAsString() : "bolmo";
        if (type.equals("bolmo")) {
            new BolmoModel(checkpoint.bolmoConfig(), tensors);
        } else {
            new OlmoModel(checkpoint.olmoConfig(), tensors);
        }
    }

    private static String withQuantization(String configJson) {
        JsonObject o = JsonParser.parseString(configJson).getAsJsonObject();
        JsonObject q = new JsonObject();
        q.addProperty("quant_method", "q8_0");
        q.addProperty("group_size", Q8Matrix.BLOCK);
        q.addProperty("scale_dtype", "float32");
        q.addProperty("tensors", "<name>.q8_0 (I8 [rows, cols]) and <name>.q8_0_scales (F32 [rows, cols / 32]);"
                + " weight = q8_0 * scale per block of 32 along each row");
        o.add("quantization_config", q);
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        return gson.toJson(o);
    }

    private static void copy(TensorInfo t, java.nio.channels.WritableByteChannel out) throws IOException {
        try (FileChannel in = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            long done = 0;
            while (done < t.length()) {
                done += in.transferTo(t.offset() + done, t.length() - done, out);
            }
        }
    }

    /** Tokenizer and other files travel with the weights; the weights and config are written anew. */
    private static void copyOtherFiles(Path source, Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.endsWith(".safetensors") && !name.equals(HfCheckpoint.CONFIG_FILE)
                        && !name.equals(SafetensorsWriter.INDEX_FILE) && !name.startsWith(".")) {
                    Files.copy(f, tmp.resolve(name));
                }
            }
        }
    }

    /** Remembers the matrices that came out as q8_0, by their weight name. */
    private record Recording(Tensors inner, Map<String, Q8Matrix> quantized) implements Tensors {
        @Override
        public Matrix matrix(String name, int rows, int cols) {
            Matrix m = inner.matrix(name, rows, cols);
            if (m instanceof Q8Matrix q) {
                quantized.put(name, q);
            }
            return m;
        }

        @Override
        public Matrix f32Matrix(String name, int rows, int cols) {
            return inner.f32Matrix(name, rows, cols);
        }

        @Override
        public float[] vector(String name, int n) {
            return inner.vector(name, n);
        }

        @Override
        public Parallel threads() {
            return inner.threads();
        }
    }
}
