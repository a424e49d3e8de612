package io.bolmo.engine.vector;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bolmo.engine.WeightFormat;
import io.bolmo.engine.vector.nn.BolmoModel;
import io.bolmo.engine.vector.nn.OlmoModel;
import io.bolmo.engine.vector.nn.Tensors;
import io.bolmo.engine.vector.tensor.Parallel;
import io.bolmo.engine.vector.tensor.Matrices;
import io.bolmo.io.CheckpointException;
import io.bolmo.io.HfCheckpoint;
import io.bolmo.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bolmo quantize}: a Hugging Face directory with its matrices in q8_0 or q4_0, which the Java engine loads
 * again as it is (no re-quantization, so it decodes exactly what quantizing at load decodes). The model is built
 * once in that format, as loading does, and written as the engine holds it ({@link TensorRecorder}): each q8_0
 * matrix as {@code <name>.q8_0} (I8 {@code [rows, cols]}) and {@code <name>.q8_0_scales} (F32
 * {@code [rows, cols / 32]}), each q4_0 one as {@code <name>.q4_0} (U8 {@code [rows, cols / 2]}) and
 * {@code <name>.q4_0_scales}, the matrices the blocks cannot hold and the small tensors as F32. {@code config.json} gets a {@code quantization_config}
 * entry; the other files of the directory (tokenizer) are copied. Written atomically.
 */
public final class QuantizedCheckpoint {

    /** What was written. */
    public record Report(Path target, int quantized, int tensors, long sourceBytes, long targetBytes) {}

    /** The formats a quantized directory can hold. */
    public static final String ALLOWED = WeightFormat.Q8_0 + ", " + WeightFormat.Q4_0;

    private QuantizedCheckpoint() {}

    /** Quantizes the checkpoint at {@code source} (Bolmo or Olmo 2/3) into {@code target}. */
    public static Report write(Path source, Path target, WeightFormat format, int threads) {
        if (!format.blocked()) {
            throw new IllegalArgumentException("dtype = " + format + " cannot be written as a quantized directory;"
                    + " allowed: " + ALLOWED + " (a bf16 or f32 checkpoint loads as it is)");
        }
        if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --model (" + source + ")");
        }
        try (HfCheckpoint checkpoint = HfCheckpoint.open(source);
                Parallel pool = new Parallel(threads > 0 ? threads : Parallel.defaultThreads());
                CheckpointTensors tensors = new CheckpointTensors(checkpoint, format, pool)) {
            TensorRecorder recorder = new TensorRecorder(tensors);
            JsonObject config = JsonParser.parseString(checkpoint.configJson()).getAsJsonObject();
            build(config, checkpoint, recorder);
            tensors.checkAllUsed();
            long sourceBytes = 0;
            for (Path f : checkpoint.weightFiles()) {
                sourceBytes += Files.size(f);
            }
            recorder.write(target, withQuantization(config, format), SafetensorsWriter.create().metadata(
                    "quantization", format.id()), source);
            return new Report(target, recorder.quantized(), recorder.count(), sourceBytes,
                    Files.size(target.resolve(SafetensorsWriter.SINGLE_FILE)));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Builds the model the checkpoint holds, so that every matrix is taken in the requested format. */
    private static void build(JsonObject config, HfCheckpoint checkpoint, Tensors tensors) {
        String type = config.has("model_type") ? config.get("model_type").getAsString() : "bolmo";
        if (type.equals("bolmo")) {
            new BolmoModel(checkpoint.bolmoConfig(), tensors);
        } else {
            new OlmoModel(checkpoint.olmoConfig(), tensors);
        }
    }

    private static String withQuantization(JsonObject config, WeightFormat format) {
        JsonObject q = new JsonObject();
        q.addProperty("quant_method", format.id());
        q.addProperty("group_size", Matrices.BLOCK);
        q.addProperty("scale_dtype", "float32");
        q.addProperty("tensors", format == WeightFormat.Q8_0
                ? "<name>.q8_0 (I8 [rows, cols]) and <name>.q8_0_scales (F32 [rows, cols / 32]);"
                        + " weight = q8_0 * scale per block of 32 along each row"
                : "<name>.q4_0 (U8 [rows, cols / 2]) and <name>.q4_0_scales (F32 [rows, cols / 32]); byte j"
                        + " (0-15) of a block of 32 holds q + 8 of weight j in its low nibble and of weight j + 16 in"
                        + " its high nibble; weight = q * scale");
        config.add("quantization_config", q);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(config);
    }
}
