package io.bolmo.train.teacher;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.Weights;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * From-scratch initialisation of an Olmo 2/3 model as olmo-core pretrains it: every matrix, embeddings and LM
 * head included, N(0, 0.02²); every norm scale 1 (olmo-core truncates the normal at ±3σ; the difference is
 * immaterial at this size and DJL has no truncated normal). With the final RMSNorm this puts the initial logits
 * near zero, so the first loss is close to ln V.
 *
 * <p>Each tensor draws from its own stream seeded by (seed, name), so the values do not depend on the order in
 * which the model asks for them. The engine's random generator is global: do not initialise from two threads.
 */
public final class OlmoInit implements Weights.Source {

    /** olmo-core's {@code init_std}. */
    public static final float STD = 0.02f;

    private final long seed;
    private final Set<String> drawn = Collections.synchronizedSet(new LinkedHashSet<>());

    public OlmoInit(long seed) {
        this.seed = seed;
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(drawn);
    }

    @Override
    public NDArray load(String name, Shape expected, NDManager manager) {
        drawn.add(name);
        if (expected.dimension() == 1) {
            return manager.ones(expected, DataType.FLOAT32); // RMSNorm / QK-norm scales
        }
        Engine.getEngine(manager.getEngine().getEngineName()).setRandomSeed(seedOf(name));
        return manager.randomNormal(0f, STD, expected, DataType.FLOAT32);
    }

    /** SplitMix64 of the seed and the name, non-negative (the engine takes an int seed). */
    private int seedOf(String name) {
        long h = seed;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = h * 31 + b;
        }
        long z = h + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z & 0x7FFFFFFF);
    }
}
