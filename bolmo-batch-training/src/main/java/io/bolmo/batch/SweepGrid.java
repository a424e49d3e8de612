package io.bolmo.batch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's grid file (JSON): which training job every run is, the parameters all runs share, the grid of
 * parameters that vary (every combination is one run, the first key varying slowest), and how each run's final
 * model is evaluated afterwards (parameters of the {@code eval} job; {@code corpus} defaults to the runs' data):
 *
 * <pre>{@code
 * {"job": "finetune",
 *  "parameters": {"model": "/models/bolmo", "data": "/data/train.jsonl", "steps": "500"},
 *  "grid": {"lr": ["1e-4", "5e-5"], "seed": ["1", "2"]},
 *  "eval": {"corpus": "/data/held-out.txt", "held-out-every": "1", "tasks": "20"}}
 * }</pre>
 *
 * Each run writes into {@code OUTPUT/runs/NAME} ({@code output} is set per run and may not be given).
 */
final class SweepGrid {

    /** One run of the grid: its name ({@code run-00}), and its value of every grid key (in key order). */
    record Point(String name, Map<String, String> values) {

        /** {@code lr=1e-4, seed=1}. */
        String label() {
            List<String> kv = new ArrayList<>();
            values.forEach((k, v) -> kv.add(k + "=" + v));
            return String.join(", ", kv);
        }
    }

    private static final Set<String> JOBS = Set.of(ByteifyJobConfiguration.JOB_NAME, FinetuneJobConfiguration.JOB_NAME);
    private static final Set<String> EVAL_NOT_ALLOWED = Set.of("bolmo", "output", "partitions");

    private final Path file;
    private final String job;
    private final Map<String, String> shared;
    private final Map<String, List<String>> grid;
    private final Map<String, String> eval;

    private SweepGrid(Path file, String job, Map<String, String> shared, Map<String, List<String>> grid,
            Map<String, String> eval) {
        this.file = file;
        this.job = job;
        this.shared = shared;
        this.grid = grid;
        this.eval = eval;
    }

    /** Reads and checks {@code file}; every error names the file and the entry. */
    static SweepGrid read(Path file) {
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("grid file " + file + " is not readable JSON: " + e.getMessage(), e);
        }
        String job = o.has("job") ? o.get("job").getAsString() : "";
        if (!JOBS.contains(job)) {
            throw bad(file, "\"job\" = '" + job + "' is invalid; allowed: " + JOBS);
        }
        Map<String, String> defaults = job.equals(ByteifyJobConfiguration.JOB_NAME) ? ByteifyJobParameters.DEFAULTS
                : FinetuneJobParameters.DEFAULTS;
        Map<String, String> shared = strings(file, o, "parameters", defaults.keySet());
        Map<String, List<String>> grid = new LinkedHashMap<>();
        if (!o.has("grid") || !o.get("grid").isJsonObject() || o.getAsJsonObject("grid").isEmpty()) {
            throw bad(file, "\"grid\" must be an object of parameter → list of values, with at least one parameter");
        }
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("grid").entrySet()) {
            String key = e.getKey();
            checkKey(file, "grid", key, defaults.keySet());
            if (shared.containsKey(key)) {
                throw bad(file, "'" + key + "' is both in \"parameters\" and in \"grid\"");
            }
            if (!e.getValue().isJsonArray() || e.getValue().getAsJsonArray().isEmpty()) {
                throw bad(file, "grid entry '" + key + "' must be a non-empty list of values");
            }
            List<String> values = new ArrayList<>();
            for (JsonElement v : e.getValue().getAsJsonArray()) {
                values.add(v.getAsString());
            }
            grid.put(key, values);
        }
        Map<String, String> eval = strings(file, o, "eval", EvalJobParameters.DEFAULTS.keySet());
        for (String k : eval.keySet()) {
            if (EVAL_NOT_ALLOWED.contains(k)) {
                throw bad(file, "\"eval\" entry '" + k + "' is set by the sweep itself; allowed: the eval job's"
                        + " parameters except " + EVAL_NOT_ALLOWED);
            }
        }
        return new SweepGrid(file, job, shared, grid, eval);
    }

    private static Map<String, String> strings(Path file, JsonObject o, String section, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!o.has(section)) {
            return out;
        }
        if (!o.get(section).isJsonObject()) {
            throw bad(file, "\"" + section + "\" must be an object of parameter → value");
        }
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject(section).entrySet()) {
            checkKey(file, section, e.getKey(), allowed);
            out.put(e.getKey(), e.getValue().getAsString());
        }
        return out;
    }

    private static void checkKey(Path file, String section, String key, Set<String> allowed) {
        if (key.equals("output") || !allowed.contains(key)) {
            throw bad(file, "\"" + section + "\" entry '" + key + "' is not a parameter it allows; allowed: "
                    + allowed.stream().filter(k -> !k.equals("output")).toList());
        }
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("grid file " + file + ": " + what);
    }

    String job() {
        return job;
    }

    List<String> keys() {
        return List.copyOf(grid.keySet());
    }

    /** Every combination of the grid's values, the first key varying slowest. */
    List<Point> points() {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        List<String> names = EvalPartitions.names("run", combos.size());
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) {
            out.add(new Point(names.get(i), combos.get(i)));
        }
        return out;
    }

    static Path runOutput(Path sweepOutput, Point p) {
        return sweepOutput.resolve("runs").resolve(p.name());
    }

    /** The job parameters of run {@code p}: the shared ones, its grid values, its own output directory. */
    Map<String, String> runParameters(Point p, Path sweepOutput) {
        Map<String, String> m = new LinkedHashMap<>(shared);
        m.putAll(p.values());
        m.put("output", runOutput(sweepOutput, p).toString());
        return m;
    }

    /** Where run {@code p} exports its final model. */
    Path finalModel(Point p, Path sweepOutput) {
        Path out = runOutput(sweepOutput, p);
        return job.equals(ByteifyJobConfiguration.JOB_NAME) ? out.resolve("stage2").resolve("final")
                : out.resolve("final");
    }

    /** The {@code eval} job parameters of run {@code p}'s final model. */
    Map<String, String> evalParameters(Point p, Path sweepOutput) {
        Map<String, String> m = new LinkedHashMap<>(eval);
        if (!m.containsKey("corpus")) {
            Map<String, String> run = runParameters(p, sweepOutput);
            String data = run.get(job.equals(ByteifyJobConfiguration.JOB_NAME) ? "corpus" : "data");
            if (data == null) {
                throw bad(file, "\"eval\" needs a \"corpus\" (the runs have none to default to)");
            }
            m.put("corpus", data);
        }
        m.put("bolmo", finalModel(p, sweepOutput).toString());
        m.put("output", sweepOutput.resolve("eval").resolve(p.name()).toString());
        return m;
    }
}
