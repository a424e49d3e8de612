package io.bolmo.engine.vector.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The little-endian bytes of one tensor, where the kernels load their vectors from ({@link Loads}).
 *
 * <p>On JDK 17 and 18 the incubating Vector API loads from a {@link ByteBuffer}, so a tensor is either a read-only
 * memory mapping of its checkpoint file (read in place: no conversion, no copy) or a wrapped heap array (weights
 * converted or quantized at load). JDK 19 replaced those loads by {@code MemorySegment} ones, which Java 17
 * bytecode cannot name; there every tensor is a heap array and a mapped tensor is copied into one once, at load
 * ({@link Loads#BUFFERS}).
 *
 * <p>A heap tensor always keeps its array, also on JDK 17: int8 weights are loaded from it directly, because narrow
 * byte-vector loads from a ByteBuffer run at half the speed there ({@link Loads#bytes}).
 */
public final class Bytes {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    final ByteBuffer buffer; // with Loads.BUFFERS
    final byte[] array;      // every heap tensor; null when mapped
    private final int length;
    private final boolean mapped;

    private Bytes(ByteBuffer buffer, byte[] array, int length, boolean mapped) {
        this.buffer = buffer;
        this.array = array;
        this.length = length;
        this.mapped = mapped;
    }

    /** A heap array of {@code length} zero bytes, filled through the {@code put} methods. */
    public static Bytes allocate(long length) {
        if (length > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a tensor of " + length + " bytes is larger than the 2 GiB the Java"
                    + " engine keeps in one array");
        }
        return heap(new byte[(int) length]);
    }

    /** Wraps a heap array (not copied). */
    public static Bytes heap(byte[] array) {
        ByteBuffer b = Loads.BUFFERS ? ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN) : null;
        return new Bytes(b, array, array.length, false);
    }

    /**
     * {@code length} bytes of {@code channel} from {@code offset}, read into a heap array (no mapping, so the file's
     * pages are not counted again in the process's memory).
     */
    public static Bytes read(FileChannel channel, long offset, long length) {
        Bytes b = allocate(length);
        ByteBuffer into = ByteBuffer.wrap(b.array);
        try {
            while (into.hasRemaining()) {
                if (channel.read(into, offset + into.position()) < 0) {
                    throw new IOException("end of file after " + into.position() + " of " + length + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + length + " bytes at " + offset, e);
        }
        return b;
    }

    /** These bytes in a heap array: itself when they are, else a copy of the mapping. */
    public Bytes onHeap() {
        if (array != null) {
            return this;
        }
        Bytes copy = allocate(length);
        get(0, copy.array, 0, length);
        return copy;
    }

    /**
     * {@code length} bytes of {@code channel} from {@code offset}, mapped read-only (kept valid after the channel
     * closes). Without buffer loads (JDK 19+) they are copied into a heap array.
     */
    public static Bytes map(FileChannel channel, long offset, long length) {
        if (length > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a tensor of " + length + " bytes is larger than the 2 GiB the Java"
                    + " engine maps at once");
        }
        try {
            ByteBuffer b = channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            if (Loads.BUFFERS) {
                return new Bytes(b, null, (int) length, true);
            }
            byte[] copy = new byte[(int) length];
            b.get(copy);
            return heap(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + length + " bytes at " + offset, e);
        }
    }

    public int length() {
        return length;
    }

    /** True when the bytes are read in place from a file mapping. */
    public boolean mapped() {
        return mapped;
    }

    /** From the array where there is one: a VarHandle read ran q8_0's and q4_0's scales 15-30 % faster on JDK 17. */
    public float getFloat(int offset) {
        return array != null ? (float) FLOATS.get(array, offset) : buffer.getFloat(offset);
    }

    public short getShort(int offset) {
        return buffer != null ? buffer.getShort(offset) : (short) SHORTS.get(array, offset);
    }

    public byte get(int offset) {
        return array != null ? array[offset] : buffer.get(offset);
    }

    public int getInt(int offset) {
        return buffer != null ? buffer.getInt(offset) : (int) INTS.get(array, offset);
    }

    public void putFloat(int offset, float v) {
        if (buffer != null) {
            buffer.putFloat(offset, v);
        } else {
            FLOATS.set(array, offset, v);
        }
    }

    public void putShort(int offset, short v) {
        if (buffer != null) {
            buffer.putShort(offset, v);
        } else {
            SHORTS.set(array, offset, v);
        }
    }

    public void put(int offset, byte v) {
        if (buffer != null) {
            buffer.put(offset, v);
        } else {
            array[offset] = v;
        }
    }

    /** Writes all bytes to {@code channel}, in order. */
    public void writeTo(WritableByteChannel channel) throws IOException {
        ByteBuffer b = buffer != null ? buffer.duplicate().clear() : ByteBuffer.wrap(array);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Copies {@code count} bytes from {@code offset} into {@code dst} at {@code dstOffset}. */
    public void get(int offset, byte[] dst, int dstOffset, int count) {
        if (buffer != null) {
            buffer.get(offset, dst, dstOffset, count);
        } else {
            System.arraycopy(array, offset, dst, dstOffset, count);
        }
    }
}
