package io.bolmo.train.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.bolmo.nn.SeededSource;

/**
 * From-scratch initialisation of an Olmo 2/3 model as olmo-core pretrains it: every matrix, embeddings and LM
 * head included, N(0, 0.02²); every norm scale 1 (olmo-core truncates the normal at ±3σ; the difference is
 * immaterial at this size and DJL has no truncated normal). With the final RMSNorm this puts the initial logits
 * near zero, so the first loss is close to ln V.
 *
 * <p>Each tensor draws from its own stream seeded by (seed, name), so the values do not depend on the order in
 * which the model asks for them. The engine's random generator is global: do not initialise from two threads.
 */
public final class OlmoInit extends SeededSource {

    /** olmo-core's {@code init_std}. */
    public static final float STD = 0.02f;

    public OlmoInit(long seed) {
        super(seed);
    }

    @Override
    protected NDArray draw(String name, Shape shape, NDManager manager) {
        if (shape.dimension() == 1) {
            return manager.ones(shape, DataType.FLOAT32); // RMSNorm / QK-norm scales
        }
        return manager.randomNormal(0f, STD, shape, DataType.FLOAT32);
    }
}
