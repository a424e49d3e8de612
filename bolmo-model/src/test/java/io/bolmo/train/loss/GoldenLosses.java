package io.bolmo.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The golden-losses vectors ({@code golden-losses/cases.*}) loaded into one test's manager, plus assertions. */
final class GoldenLosses {

    static final double ABS = 1e-5;
    static final double REL = 1e-5;
    private static final String DIR = "/golden-losses/";

    private final Map<String, NDArray> arrays = new HashMap<>();
    private final JsonObject cases;

    private GoldenLosses(NDManager manager) {
        try (InputStream in = open("cases.safetensors")) {
            for (NDArray a : NDList.decode(manager, in)) {
                arrays.put(a.getName(), a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = open("cases.json")) {
            cases = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonObject("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenLosses load(NDManager manager) {
        return new GoldenLosses(manager);
    }

    private static InputStream open(String name) {
        InputStream in = GoldenLosses.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + DIR + name);
        }
        return in;
    }

    NDArray get(String key) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException("no golden tensor " + key);
        }
        return a;
    }

    double scalar(String testCase, String field) {
        return cases.getAsJsonObject(testCase).get(field).getAsDouble();
    }

    boolean flag(String testCase, String field) {
        return cases.getAsJsonObject(testCase).get(field).getAsBoolean();
    }

    double metric(String testCase, String name) {
        return cases.getAsJsonObject(testCase).getAsJsonObject("metrics").get(name).getAsDouble();
    }

    static void assertInts(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        assertThat(actual.toType(DataType.INT32, false).toIntArray())
                .containsExactly(expected.toType(DataType.INT32, false).toIntArray());
    }

    /** Elementwise: abs 1e−5, or rel 1e−5 for large values (the masked −1e5 log-probs give BCE 1e5). */
    static void assertFloats(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            double tol = Math.max(ABS, REL * Math.abs(e[i]));
            assertThat((double) a[i]).as("element %d", i).isCloseTo(e[i], within(tol));
        }
    }

    static void assertScalar(NDArray actual, double expected) {
        assertScalar(actual.getFloat(), expected);
    }

    static void assertScalar(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(REL * Math.abs(expected)));
    }
}
