package io.bolmo.engine.vector.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loads from {@link Bytes}, and the species every kernel uses: the preferred float shape of the CPU (16
 * lanes with AVX-512, 8 with AVX2); nothing depends on the width being a particular number.
 *
 * <p>{@link #BUFFERS} is a constant: the JIT keeps one branch of each load and never links the other, so on JDK
 * 19+, where {@code fromByteBuffer} no longer exists, the buffer branch is dead code and cannot fail.
 */
final class Loads {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Bytes of a whole float vector, for loads reinterpreted as ints or floats. */
    static final VectorSpecies<Byte> B_WIDE = VectorSpecies.of(byte.class, F.vectorShape());
    /** One byte per float lane (a quarter of the width), for int8 weights widened to floats. */
    static final VectorSpecies<Byte> B_NARROW = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8));
    /** Floats per vector. */
    static final int LANES = F.length();
    /** True where the incubating API loads from ByteBuffers (JDK 17, 18). */
    static final boolean BUFFERS = hasBufferLoads();

    private Loads() {}

    /** {@link #LANES} floats from byte {@code offset}. */
    static FloatVector floats(Bytes b, int offset) {
        return BUFFERS ? FloatVector.fromByteBuffer(F, b.buffer, offset, ByteOrder.LITTLE_ENDIAN)
                : ByteVector.fromArray(B_WIDE, b.array, offset).reinterpretAsFloats();
    }

    /** {@link #LANES} ints (two bfloat16 each) from byte {@code offset}. */
    static IntVector ints(Bytes b, int offset) {
        return BUFFERS ? IntVector.fromByteBuffer(I, b.buffer, offset, ByteOrder.LITTLE_ENDIAN)
                : ByteVector.fromArray(B_WIDE, b.array, offset).reinterpretAsInts();
    }

    /**
     * {@link #LANES} int8 values from byte {@code offset} of a heap tensor ({@link Bytes#onHeap}). Always from the
     * array: on JDK 17 a quarter-width byte vector loaded from a ByteBuffer and widened to floats ran at 11 GB/s
     * per core against 24 GB/s from an array (a [8192, 2048] q8_0 GEMV, same JVM), which halved q8_0 decoding.
     */
    static ByteVector bytes(Bytes b, int offset) {
        return ByteVector.fromArray(B_NARROW, b.array, offset);
    }

    private static boolean hasBufferLoads() {
        try {
            FloatVector.class.getMethod("fromByteBuffer", VectorSpecies.class, ByteBuffer.class, int.class,
                    ByteOrder.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
