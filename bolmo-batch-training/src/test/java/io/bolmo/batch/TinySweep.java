package io.bolmo.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 2 × 2 sweep of the tiny fine-tune (learning rate × seed, 2 steps in chunks of 1 each), evaluated on two held-out
 * documents of the byteify fixture's corpus.
 */
final class TinySweep {

    private TinySweep() {}

    /** Writes the grid file into {@code dir} and returns it. */
    static Path grid(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("job", "finetune");
        JsonObject shared = new JsonObject();
        Map<String, String> run = new LinkedHashMap<>(TinyFinetune.args(dir));
        run.remove("output");
        run.remove("lr");
        run.remove("seed");
        run.put("steps", "2");
        run.put("chunk-size", "1");
        run.forEach(shared::addProperty);
        o.add("parameters", shared);
        JsonObject grid = new JsonObject();
        JsonArray lr = new JsonArray();
        lr.add("3e-3");
        lr.add("1e-3");
        grid.add("lr", lr);
        JsonArray seed = new JsonArray();
        seed.add("7");
        seed.add("8");
        grid.add("seed", seed);
        o.add("grid", grid);
        JsonObject eval = new JsonObject();
        eval.addProperty("corpus", TinyByteify.root().resolve("corpus.txt").toString());
        eval.addProperty("held-out-every", "1");
        eval.addProperty("max-docs", "2");
        eval.addProperty("tasks", "0");
        eval.addProperty("window-bytes", "1024");
        eval.addProperty("window-tokens", "512");
        o.add("eval", eval);
        Files.createDirectories(dir);
        Path file = dir.resolve("grid.json");
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(o));
        return file;
    }

    static Map<String, String> args(Path grid, Path output) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("grid", grid.toString());
        a.put("output", output.toString());
        return a;
    }
}
