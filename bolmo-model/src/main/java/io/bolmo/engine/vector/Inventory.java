package io.bolmo.engine.vector;

import io.bolmo.engine.vector.tensor.Matrix;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a model's weights come to in memory, tensor by tensor, as they are taken: bytes and values. */
final class Inventory {

    private final Map<String, Long> bytes = new LinkedHashMap<>();
    private final Map<String, Matrix> matrices = new LinkedHashMap<>();
    private long parameters;

    Matrix add(String name, Matrix m) {
        bytes.put(name, m.byteSize());
        matrices.put(name, m);
        parameters += (long) m.rows() * m.cols();
        return m;
    }

    float[] add(String name, float[] v) {
        bytes.put(name, 4L * v.length);
        parameters += v.length;
        return v;
    }

    long parameters() {
        return parameters;
    }

    long totalBytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The matrices, by Hugging Face name. */
    Map<String, Matrix> matrices() {
        return Collections.unmodifiableMap(matrices);
    }

    /** Bytes in memory of each tensor, by Hugging Face name. */
    Map<String, Long> bytesByName() {
        return Collections.unmodifiableMap(bytes);
    }
}
