package io.bolmo.bench;

import io.bolmo.Bolmo;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.ModelPresets;
import io.bolmo.generate.BolmoGenerator;
import io.bolmo.generate.ConstrainedBytes;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import io.bolmo.generate.constraint.ByteConstraint;
import io.bolmo.generate.constraint.ToolCallConstraint;
import io.bolmo.generate.constraint.ToolChoice;
import io.bolmo.engine.DeviceSpec;
import io.bolmo.engine.Engine;
import io.bolmo.engine.djl.DjlEngines;
import io.bolmo.nn.RandomWeights;
import io.bolmo.tokenize.ByteTokenizer;
import io.bolmo.tokenize.ToolCallFormat;
import io.bolmo.tokenize.ToolDefinition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What constrained decoding costs per decoding step (docs/structured-output.md, docs/benchmarks.md).
 *
 * <ol>
 *   <li><b>Mask cost</b>, model-independent: the exact per-step work the generator adds under a constraint
 *       ({@link ConstrainedBytes}: the allowed bytes as fused-id candidates, then the step past the chosen byte),
 *       driven by random allowed bytes for {@code --steps} steps, for a JSON schema (nested objects, {@code $ref},
 *       arrays of objects, enums, a string-or-null union, bounded numbers), any JSON object, a regular expression,
 *       and tool calls (auto). Without a constraint the generator does none of this work.</li>
 *   <li><b>Step time</b> of a model ({@code --model DIR}, or {@code --preset bolmo-1b|golden} with random weights):
 *       greedy decoding of {@code --decode-bytes}, unconstrained and under the JSON schema, in ms per byte.</li>
 *   <li>The mask cost as a fraction of the unconstrained step (goal: ≤ 5 % on Bolmo-1B shapes).</li>
 * </ol>
 *
 * <p>Run with {@code java -cp bolmo-model-<v>-cli.jar io.bolmo.bench.ConstraintBench [options]}; {@code --json}
 * prints the figures under stable names.
 */
@Command(name = "bench-constraint", mixinStandardHelpOptions = true,
        description = "Cost of constrained decoding per step: the mask work alone, and a model's step time.")
public final class ConstraintBench implements Callable<Integer> {

    /** A schema of the kind Spring AI generates for a record: nested objects by $ref, arrays, enums, a union. */
    static final String SCHEMA = "{\"$defs\":{\"Address\":{\"type\":\"object\",\"properties\":{"
            + "\"street\":{\"type\":\"string\"},\"city\":{\"type\":\"string\",\"maxLength\":40},"
            + "\"zip\":{\"type\":\"string\",\"pattern\":\"^[0-9]{5}$\"}},\"required\":[\"street\",\"city\",\"zip\"],"
            + "\"additionalProperties\":false}},\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150},"
            + "\"score\":{\"type\":\"number\"},\"role\":{\"type\":\"string\",\"enum\":[\"admin\",\"editor\",\"viewer\"]},"
            + "\"nickname\":{\"type\":[\"string\",\"null\"]},\"home\":{\"$ref\":\"#/$defs/Address\"},"
            + "\"previous\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Address\"},\"maxItems\":5},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
            + "\"required\":[\"name\",\"age\",\"score\",\"role\",\"nickname\",\"home\",\"previous\",\"tags\"],"
            + "\"additionalProperties\":false}";

    @Option(names = "--model", paramLabel = "DIR", description = "Time the steps of this Bolmo directory.")
    Path model;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "golden",
            description = "Without --model: random-weight model shape, bolmo-1b or golden. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200000",
            description = "Masked steps per constraint (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--decode-bytes", paramLabel = "N", defaultValue = "128",
            description = "Bytes decoded to time a model step (default: ${DEFAULT-VALUE}).")
    int decodeBytes;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConstraintBench()).execute(args));
    }

    @Override
    public Integer call() {
        Map<String, ByteConstraint> constraints = new LinkedHashMap<>();
        constraints.put("json-schema", ByteConstraint.jsonSchema(SCHEMA));
        constraints.put("json-object", ByteConstraint.jsonObject(ByteConstraint.DEFAULT_MAX_DEPTH));
        constraints.put("regex", ByteConstraint.regex("[A-Z][a-z]+( [a-z]+){0,40}\\."));
        constraints.put("tool-calls-auto", ToolCallConstraint.of(ToolCallFormat.OLMO3, List.of(new ToolDefinition(
                "get_weather", "Weather", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                        + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},\"required\":[\"city\"],"
                        + "\"additionalProperties\":false}")), ToolChoice.auto(), true, 4));
        Map<String, Double> maskNanos = new LinkedHashMap<>();
        constraints.forEach((name, c) -> maskNanos.put(name, maskNanosPerStep(c, steps)));
        double[] stepMillis = stepMillis(constraints.get("json-schema"));
        print(constraints, maskNanos, stepMillis);
        return 0;
    }

    /**
     * Mean time of {@link ConstrainedBytes#candidates()} and {@link ConstrainedBytes#chosen} per step, choosing
     * uniformly among the allowed bytes; a completed output starts a new generation (its set-up counted too).
     */
    static double maskNanosPerStep(ByteConstraint c, int steps) {
        GenerationOptions options = GenerationOptions.builder().maxNewBytes(512).constraint(c).build();
        SplittableRandom random = new SplittableRandom(1);
        long start = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up
            start = System.nanoTime();
            ConstrainedBytes hook = new ConstrainedBytes(options);
            for (int i = 0; i < steps; i++) {
                int[] ids = hook.candidates();
                int pick = ids[random.nextInt(ids.length)];
                if ((pick % BolmoConfig.PLAIN_VOCAB) < BolmoConfig.BYTE_OFFSET || hook.complete()) {
                    hook = new ConstrainedBytes(options); // EOS: the generation ends
                    continue;
                }
                hook.chosen(pick);
                if (hook.complete()) {
                    hook = new ConstrainedBytes(options);
                }
            }
        }
        return (System.nanoTime() - start) / (double) steps;
    }

    /** {unconstrained, constrained} ms per decoded byte, greedy, on the model. */
    private double[] stepMillis(ByteConstraint schema) {
        if (model != null) {
            try (Bolmo bolmo = Bolmo.load(model, Bolmo.Options.defaults().withDevice("cpu"))) {
                return stepMillis(bolmo.generator(), bolmo.tokenizer(), schema);
            }
        }
        BolmoConfig config = preset.equals("bolmo-1b") ? ModelPresets.bolmoOneB() : ModelPresets.goldenTiny();
        try (Engine engine = DjlEngines.bolmo(config, new RandomWeights(42), DeviceSpec.CPU, 1)) {
            // no subword trie: random weights have no vocabulary to expand, and the gather costs the same
            return stepMillis(new BolmoGenerator(engine, null), ByteTokenizer.plain(), schema);
        }
    }

    private double[] stepMillis(BolmoGenerator generator, ByteTokenizer tokenizer, ByteConstraint schema) {
        int[] prompt = tokenizer.encode("Describe the new member of the committee as JSON.");
        GenerationOptions plain = GenerationOptions.builder().maxNewBytes(decodeBytes).stopAtEos(false).build();
        GenerationOptions constrained = plain.mutate().stopAtEos(true).constraint(schema)
                .maxNewBytes(Math.max(decodeBytes, schema.shortestOutput())).build();
        generator.generate(prompt, plain.mutate().maxNewBytes(8).build(), GenerationListener.NONE); // warm-up
        GenerationResult a = generator.generate(prompt, plain, GenerationListener.NONE);
        GenerationResult b = generator.generate(prompt, constrained, GenerationListener.NONE);
        return new double[] {a.decodeNanos() / 1e6 / a.generatedUnits(), b.decodeNanos() / 1e6 / b.generatedUnits()};
    }

    private void print(Map<String, ByteConstraint> constraints, Map<String, Double> maskNanos, double[] stepMillis) {
        String subject = model != null ? model.toString() : "preset " + preset + " (random weights)";
        if (json) {
            StringBuilder sb = new StringBuilder("{\"model\":\"").append(subject.replace("\\", "\\\\").replace("\"", "'"))
                    .append("\",\"mask_ns_per_step\":{");
            maskNanos.forEach((k, v) -> sb.append('"').append(k).append("\":").append(String.format(Locale.ROOT, "%.1f", v)).append(','));
            sb.setLength(sb.length() - 1);
            sb.append(String.format(Locale.ROOT, "},\"step_ms\":{\"unconstrained\":%.4f,\"json_schema\":%.4f},",
                    stepMillis[0], stepMillis[1]));
            sb.append("\"mask_fraction_of_step\":{");
            maskNanos.forEach((k, v) -> sb.append('"').append(k).append("\":")
                    .append(String.format(Locale.ROOT, "%.6f", v / 1e6 / stepMillis[0])).append(','));
            sb.setLength(sb.length() - 1);
            System.out.println(sb.append("}}"));
            return;
        }
        System.out.println("| constraint | automaton states | mask work per step | share of the " + subject
                + " step (" + String.format(Locale.ROOT, "%.2f ms", stepMillis[0]) + ") |");
        System.out.println("|---|---|---|---|");
        maskNanos.forEach((k, v) -> System.out.println(String.format(Locale.ROOT, "| %s | %,d | %.2f µs | %.3f %% |", k,
                constraints.get(k).states(), v / 1e3, 100 * v / 1e6 / stepMillis[0])));
        System.out.println(String.format(Locale.ROOT, "| none | 0 | 0 (not called) | 0 %% |"));
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "Greedy decode on %s: %.3f ms/byte unconstrained, %.3f ms/byte"
                + " under the JSON schema (%d bytes each; different outputs, so different patch counts).", subject,
                stepMillis[0], stepMillis[1], decodeBytes));
    }
}
