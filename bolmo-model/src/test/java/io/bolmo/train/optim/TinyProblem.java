package io.bolmo.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Three named parameters (one per kind of group) and a loss whose gradient is known in closed form:
 * {@code L_t = Σ_p Σ_i (c_t[p,i]·p_i + ½·p_i²)}, so {@code ∂L/∂p_i = c_t[p,i] + p_i}.
 */
final class TinyProblem {

    static final String EMBEDDING = BolmoOptimizers.BYTE_EMBEDDING;
    static final String GLOBAL = "model.layers.0.mlp.up_proj.weight";
    static final String NORM = "model.local_decoder.norm.weight";
    static final Map<String, Shape> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put(EMBEDDING, new Shape(2, 3));
        SHAPES.put(GLOBAL, new Shape(3));
        SHAPES.put(NORM, new Shape(4));
    }

    private TinyProblem() {
    }

    /** Deterministic starting values of each parameter. */
    static float[] initial(String name) {
        int n = (int) SHAPES.get(name).size();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 + 0.3 * Math.cos(1.7 * i + name.length()));
        }
        return v;
    }

    /** The loss coefficients of step {@code t} for one parameter. */
    static float[] coeff(int t, String name) {
        int n = (int) SHAPES.get(name).size();
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) (2 * Math.sin(0.9 * t + 0.37 * i + name.length()));
        }
        return c;
    }

    /** Parameters with the given values (requiring gradients) on {@code manager}. */
    static LinkedHashMap<String, NDArray> params(NDManager manager, Map<String, float[]> values) {
        LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            NDArray p = manager.create(v, SHAPES.get(name));
            p.setRequiresGradient(true);
            params.put(name, p);
        });
        return params;
    }

    static Map<String, float[]> initialValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        SHAPES.keySet().forEach(n -> values.put(n, initial(n)));
        return values;
    }

    static Map<String, float[]> values(Map<String, NDArray> params) {
        Map<String, float[]> values = new LinkedHashMap<>();
        params.forEach((n, p) -> values.put(n, p.toFloatArray()));
        return values;
    }

    /** Runs the forward and backward pass of step {@code t}; gradients accumulate into the parameters. */
    static void backward(NDManager manager, Map<String, NDArray> params, int t) {
        try (NDScope scope = new NDScope();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = manager.create(0f);
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray c = manager.create(coeff(t, e.getKey()), p.getShape());
                loss = loss.add(p.mul(c).sum()).add(p.square().sum().mul(0.5f));
            }
            collector.backward(loss);
        }
    }
}
