package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;

/**
 * Where the components take their weights from while a model is built, by Hugging Face tensor name (model.md §9.3), and
 * the threads their products run on. Large matrices come in the model's weight format; small tensors (norm scales,
 * biases, the mLSTM gates) stay float32: they cost nothing to read and the gates feed an exponential.
 */
public interface Tensors {

    /** The weight {@code name} {@code [rows, cols]} in the model's format (float32 where the format cannot hold it). */
    Matrix matrix(String name, int rows, int cols);

    /** The weight {@code name} {@code [rows, cols]} as float32 whatever the model's format. */
    Matrix f32Matrix(String name, int rows, int cols);

    /** A 1-D float32 tensor {@code name} of {@code n} values. */
    float[] vector(String name, int n);

    /** The threads every product of this model runs on. */
    Parallel threads();
}
