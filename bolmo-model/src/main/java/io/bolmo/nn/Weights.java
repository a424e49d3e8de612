package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The named parameters of a model, keyed by their Hugging Face tensor names (model.md §9.3).
 *
 * <p>Components take their tensors by name while the model is built; the source (a checkpoint, a map, a random
 * initialiser) is asked for each one with the shape the component expects. Afterwards {@link #checkAllUsed()}
 * reports tensors the source has but no component took. All parameters live in one {@link NDManager} owned by
 * this object.
 */
public final class Weights implements AutoCloseable {

    /** Where tensors come from while a model is built. */
    public interface Source {

        /** All tensor names this source can provide. */
        Set<String> names();

        /**
         * The tensor {@code name} on {@code manager}, or {@code null} when the source has no such tensor.
         * {@code expected} is the shape the model wants (an initialiser creates it; a checkpoint ignores it and
         * returns what it holds, which the caller checks).
         */
        NDArray load(String name, Shape expected, NDManager manager);
    }

    private final NDManager manager;
    private final Source source;
    private final Map<String, NDArray> taken = new LinkedHashMap<>();
    private final DataType dataType;

    private Weights(NDManager manager, Source source, DataType dataType) {
        this.manager = manager;
        this.source = source;
        this.dataType = dataType;
    }

    /** Parameters drawn from {@code source} into a new child manager of {@code parent}, stored as float32. */
    public static Weights from(NDManager parent, Source source) {
        return new Weights(parent.newSubManager(), source, DataType.FLOAT32);
    }

    /** Parameters given as a map (already on some manager; they are copied into this object's manager). */
    public static Weights fromMap(NDManager parent, Map<String, NDArray> tensors) {
        return from(parent, new Source() {
            @Override
            public Set<String> names() {
                return tensors.keySet();
            }

            @Override
            public NDArray load(String name, Shape expected, NDManager m) {
                NDArray t = tensors.get(name);
                return t == null ? null : t.toType(DataType.FLOAT32, true).toDevice(m.getDevice(), true);
            }
        });
    }

    /**
     * Takes the tensor {@code name} with the given shape. Throws {@link WeightsException} naming the tensor (and
     * both shapes) when it is missing or mis-shaped.
     */
    public NDArray take(String name, long... shape) {
        if (taken.containsKey(name)) {
            throw new IllegalStateException("tensor taken twice: " + name);
        }
        NDArray t = source.load(name, new Shape(shape), manager);
        if (t == null) {
            throw new WeightsException("missing tensor '" + name + "' (expected shape " + new Shape(shape) + ")");
        }
        t.attach(manager);
        if (!t.getShape().equals(new Shape(shape))) {
            Shape got = t.getShape();
            t.close();
            throw new WeightsException("tensor '" + name + "' has shape " + got + " but the model expects "
                    + new Shape(shape));
        }
        if (t.getDataType() != dataType) {
            NDArray cast = t.toType(dataType, false);
            t.close();
            t = cast;
        }
        t.setName(name);
        taken.put(name, t);
        return t;
    }

    /** Fails when the source holds tensors that no component took (e.g. a checkpoint of another layout). */
    public void checkAllUsed() {
        Set<String> extra = new TreeSet<>(source.names());
        extra.removeAll(taken.keySet());
        if (!extra.isEmpty()) {
            throw new WeightsException("unexpected tensor" + (extra.size() > 1 ? "s " : " ") + extra
                    + " in the checkpoint: no component of the model uses " + (extra.size() > 1 ? "them" : "it"));
        }
    }

    /** All parameters, in the order the model took them. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(taken);
    }

    public NDArray get(String name) {
        NDArray t = taken.get(name);
        if (t == null) {
            throw new WeightsException("no parameter named '" + name + "'");
        }
        return t;
    }

    public NDManager manager() {
        return manager;
    }

    /** Total number of parameter values. */
    public long parameterCount() {
        return taken.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    @Override
    public void close() {
        manager.close();
    }
}
