package io.bolmo.io;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;

/**
 * One header entry of a safetensors file.
 *
 * @param file   the file holding the data
 * @param offset absolute byte offset of the data in {@code file} (header and its length prefix included)
 * @param length bytes of data, {@code shape.size() * dtype.byteSize()}
 */
public record TensorInfo(String name, SafetensorsDtype dtype, Shape shape, Path file, long offset, long length) {}
