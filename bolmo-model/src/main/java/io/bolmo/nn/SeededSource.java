package io.bolmo.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A random initialiser as a {@link Weights.Source}: each tensor draws from its own stream seeded by (seed, name),
 * so the values do not depend on the order in which a model asks for them. Subclasses say how a tensor is drawn.
 * The engine's random generator is global: do not initialise from two threads at once.
 */
public abstract class SeededSource implements Weights.Source {

    private final long seed;
    private final Set<String> drawn = Collections.synchronizedSet(new LinkedHashSet<>());

    protected SeededSource(long seed) {
        this.seed = seed;
    }

    /** The tensor {@code name} of shape {@code shape}, drawn after the engine was seeded for this name. */
    protected abstract NDArray draw(String name, Shape shape, NDManager manager);

    /** Reports the tensors drawn so far: a random source has no tensors that no component asked for. */
    @Override
    public final Set<String> names() {
        return Set.copyOf(drawn);
    }

    @Override
    public final NDArray load(String name, Shape expected, NDManager manager) {
        drawn.add(name);
        Engine.getEngine(manager.getEngine().getEngineName()).setRandomSeed(seedOf(name));
        return draw(name, expected, manager);
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
