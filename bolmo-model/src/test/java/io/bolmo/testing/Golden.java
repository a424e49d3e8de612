package io.bolmo.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import io.bolmo.config.BolmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.Weights;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reference outputs of shared/golden, copied into test resources (see their README). */
public final class Golden {

    public static final List<String> MODELS = List.of("tiny-olmo3", "tiny-olmo2");

    private Golden() {}

    public static Path root() {
        try {
            return Paths.get(Golden.class.getResource("/golden/README.md").toURI()).getParent();
        } catch (Exception e) {
            throw new IllegalStateException("golden test resources missing", e);
        }
    }

    public static Path modelDir(String model) {
        return root().resolve(model);
    }

    public static List<JsonObject> texts(String model) {
        try {
            JsonObject cases = JsonParser.parseString(
                    Files.readString(modelDir(model).resolve("cases.json"), StandardCharsets.UTF_8)).getAsJsonObject();
            List<JsonObject> out = new ArrayList<>();
            cases.getAsJsonArray("texts").forEach(t -> out.add(t.getAsJsonObject()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every tensor of a golden safetensors file, by name, on {@code manager}. */
    public static Map<String, NDArray> tensors(NDManager manager, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> map = new LinkedHashMap<>();
            for (NDArray a : list) {
                map.put(a.getName(), a);
            }
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden Bolmo model {@code model} with its weights on {@code manager}. */
    public static BolmoModel loadModel(NDManager manager, String model) {
        BolmoConfig config = BolmoConfig.load(modelDir(model).resolve("config.json"));
        return BolmoModel.create(config, Weights.fromMap(manager, tensors(manager, modelDir(model).resolve("model.safetensors"))));
    }

    public static int[] ints(JsonObject o, String field) {
        JsonArray a = o.getAsJsonArray(field);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    public static boolean hasGeneration(JsonObject text) {
        JsonElement g = text.get("generation");
        return g != null && g.isJsonObject() && g.getAsJsonObject().has("step_ids_fused");
    }

    /** Largest absolute difference, over all elements. */
    public static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
