package io.bolmo.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The on-disk form of an {@link AdamW} state: one safetensors file with {@code exp_avg/<param>} and
 * {@code exp_avg_sq/<param>} tensors plus a {@value #META} tensor of UTF-8 JSON bytes (format, step count, betas,
 * eps, and per parameter its step and group settings). The JSON rides in a tensor because DJL's safetensors
 * codec does not write a {@code __metadata__} block.
 */
final class OptimizerStateFile {

    static final String META = "__optimizer_meta__";
    static final String FORMAT = "bolmo-adamw-v1";
    private static final String EXP_AVG = "exp_avg/";
    private static final String EXP_AVG_SQ = "exp_avg_sq/";
    private static final Gson GSON = new Gson();

    private OptimizerStateFile() {
    }

    /** Writes to a temporary sibling, syncs it, then renames it over {@code file}, so a crash leaves the old file. */
    static void write(AdamW opt, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (NDManager scratch = opt.stateManager().newSubManager();
                FileOutputStream fos = new FileOutputStream(tmp.toFile());
                OutputStream out = new BufferedOutputStream(fos)) {
            toNdList(opt, scratch).encode(out, NDList.Encoding.SAFETENSORS);
            out.flush();
            fos.getFD().sync();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Validates the whole file against {@code opt} first, then swaps the moments in; on error nothing changes. */
    static void read(AdamW opt, Path file) throws IOException {
        NDManager loaded = opt.stateManager().newSubManager();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            Map<String, NDArray> byName = byName(NDList.decode(loaded, in));
            JsonObject meta = meta(byName.remove(META), file);
            check(opt, meta, byName);
            install(opt, meta, byName);
        } finally {
            loaded.close(); // installed arrays were re-attached to the state manager; the rest goes
        }
    }

    private static NDList toNdList(AdamW opt, NDManager scratch) {
        NDList list = new NDList();
        for (AdamW.ParamState s : opt.states()) {
            s.expAvg.setName(EXP_AVG + s.name);
            s.expAvgSq.setName(EXP_AVG_SQ + s.name);
            list.add(s.expAvg);
            list.add(s.expAvgSq);
        }
        byte[] json = GSON.toJson(metaOf(opt)).getBytes(StandardCharsets.UTF_8);
        NDArray meta = scratch.create(ByteBuffer.wrap(json), new Shape(json.length), DataType.UINT8);
        meta.setName(META);
        list.add(meta);
        return list;
    }

    private static JsonObject metaOf(AdamW opt) {
        JsonObject meta = new JsonObject();
        meta.addProperty("format", FORMAT);
        meta.addProperty("step", opt.stepCount());
        meta.addProperty("beta1", opt.beta1());
        meta.addProperty("beta2", opt.beta2());
        meta.addProperty("eps", opt.eps());
        JsonObject params = new JsonObject();
        for (AdamW.ParamState s : opt.states()) {
            JsonObject p = new JsonObject();
            p.addProperty("step", s.step);
            p.addProperty("group", s.group.name());
            p.addProperty("lr_multiplier", s.group.lrMultiplier());
            p.addProperty("weight_decay", s.group.weightDecay());
            params.add(s.name, p);
        }
        meta.add("params", params);
        return meta;
    }

    private static Map<String, NDArray> byName(NDList list) {
        Map<String, NDArray> map = new HashMap<>();
        for (NDArray a : list) {
            map.put(a.getName(), a);
        }
        return map;
    }

    private static JsonObject meta(NDArray tensor, Path file) {
        if (tensor == null) {
            throw new OptimizerStateException(file + " is not an optimizer state file (no " + META + " tensor)");
        }
        JsonObject meta = GSON.fromJson(new String(tensor.toByteArray(), StandardCharsets.UTF_8), JsonObject.class);
        if (meta == null || !meta.has("format") || !FORMAT.equals(meta.get("format").getAsString())) {
            throw new OptimizerStateException(file + ": not an optimizer state of format " + FORMAT);
        }
        return meta;
    }

    private static void check(AdamW opt, JsonObject meta, Map<String, NDArray> tensors) {
        checkSetting("beta1", meta.get("beta1").getAsDouble(), opt.beta1());
        checkSetting("beta2", meta.get("beta2").getAsDouble(), opt.beta2());
        checkSetting("eps", meta.get("eps").getAsDouble(), opt.eps());
        JsonObject params = meta.getAsJsonObject("params");
        for (AdamW.ParamState s : opt.states()) {
            JsonObject p = params.getAsJsonObject(s.name);
            if (p == null) {
                throw new OptimizerStateException("saved optimizer state has no entry for parameter '" + s.name + "'");
            }
            checkSetting(s.name + " lr_multiplier", p.get("lr_multiplier").getAsDouble(), s.group.lrMultiplier());
            checkSetting(s.name + " weight_decay", p.get("weight_decay").getAsDouble(), s.group.weightDecay());
            checkTensor(tensors.get(EXP_AVG + s.name), EXP_AVG + s.name, s);
            checkTensor(tensors.get(EXP_AVG_SQ + s.name), EXP_AVG_SQ + s.name, s);
        }
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (AdamW.ParamState s : opt.states()) {
            names.add(s.name);
            keys.add(EXP_AVG + s.name);
            keys.add(EXP_AVG_SQ + s.name);
        }
        rejectExtra(params.keySet(), names, "entries");
        rejectExtra(tensors.keySet(), keys, "tensors");
    }

    private static void rejectExtra(Set<String> saved, Set<String> expected, String what) {
        Set<String> extra = new TreeSet<>(saved);
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            throw new OptimizerStateException("saved optimizer state has " + what + " for no trainable parameter of"
                    + " this optimizer: " + extra);
        }
    }

    private static void checkSetting(String what, double saved, double now) {
        if (Double.compare(saved, now) != 0) {
            throw new OptimizerStateException("optimizer setting " + what + " was " + saved + " when saved but is "
                    + now + " now");
        }
    }

    private static void checkTensor(NDArray t, String key, AdamW.ParamState s) {
        if (t == null) {
            throw new OptimizerStateException("saved optimizer state lacks '" + key + "' for parameter '" + s.name
                    + "'");
        }
        if (!t.getShape().equals(s.param.getShape()) || t.getDataType() != s.param.getDataType()) {
            throw new OptimizerStateException("saved '" + key + "' is " + t.getDataType() + t.getShape()
                    + " but parameter '" + s.name + "' is " + s.param.getDataType() + s.param.getShape());
        }
    }

    private static void install(AdamW opt, JsonObject meta, Map<String, NDArray> tensors) {
        JsonObject params = meta.getAsJsonObject("params");
        for (AdamW.ParamState s : opt.states()) {
            s.expAvg = replace(s.expAvg, Objects.requireNonNull(tensors.get(EXP_AVG + s.name)), opt);
            s.expAvgSq = replace(s.expAvgSq, Objects.requireNonNull(tensors.get(EXP_AVG_SQ + s.name)), opt);
            s.step = params.getAsJsonObject(s.name).get("step").getAsLong();
        }
        opt.restoreStepCount(meta.get("step").getAsLong());
    }

    private static NDArray replace(NDArray old, NDArray loaded, AdamW opt) {
        NDArray moved = loaded.toDevice(old.getDevice(), false);
        moved.attach(opt.stateManager());
        old.close();
        return moved;
    }
}
