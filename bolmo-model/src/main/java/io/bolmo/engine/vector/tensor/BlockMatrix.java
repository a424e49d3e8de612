package io.bolmo.engine.vector.tensor;

import static io.bolmo.engine.vector.tensor.Loads.F;

import jdk.incubator.vector.FloatVector;

/**
 * A matrix in a block format ({@link Q8Matrix}, {@link Q4Matrix}): each row in blocks of {@value Matrices#BLOCK}
 * weights, packed into {@code data} (kept on the heap: the kernels load byte vectors from its array,
 * {@link Loads#bytes}), with one float32 scale per block in {@code scales} {@code [rows, cols / 32]}, row-major
 * little-endian.
 */
public abstract class BlockMatrix extends Matrix {

    protected final Bytes data;
    protected final Bytes scales;
    protected final int blocks; // per row

    /** Checks that {@code data} holds {@code dataBytesPerRow} bytes a row and {@code scales} one float per block. */
    protected BlockMatrix(int rows, int cols, Bytes data, Bytes scales, int dataBytesPerRow) {
        super(rows, cols);
        if (cols % Matrices.BLOCK != 0) {
            throw new IllegalArgumentException(format() + " needs a column count divisible by " + Matrices.BLOCK
                    + ", got " + cols);
        }
        this.blocks = cols / Matrices.BLOCK;
        long dataBytes = (long) rows * dataBytesPerRow;
        if (data.length() != dataBytes || scales.length() != 4L * rows * blocks) {
            throw new IllegalArgumentException(format() + " [" + rows + ", " + cols + "] needs " + dataBytes
                    + " data and " + 4L * rows * blocks + " scale bytes, got " + data.length() + " and "
                    + scales.length());
        }
        this.data = data.onHeap();
        this.scales = scales;
    }

    /** The packed blocks, row-major. */
    public final Bytes data() {
        return data;
    }

    /** The float32 scales, {@code [rows, cols / 32]}. */
    public final Bytes scales() {
        return scales;
    }

    @Override
    public final long byteSize() {
        return (long) data.length() + scales.length();
    }

    @Override
    public final void row(int r, float[] out, int offset) {
        dequantizeRow(r, out, offset);
    }

    /** The scale of block {@code blk} of the row whose scales start at byte {@code sbase}, in every lane. */
    protected final FloatVector scale(int sbase, int blk) {
        return FloatVector.broadcast(F, scales.getFloat(sbase + 4 * blk));
    }
}
