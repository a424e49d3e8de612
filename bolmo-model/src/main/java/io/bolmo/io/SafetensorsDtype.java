package io.bolmo.io;

import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/** The safetensors element types this project reads and writes, with their DJL counterparts. */
public enum SafetensorsDtype {
    F32(DataType.FLOAT32),
    BF16(DataType.BFLOAT16),
    F16(DataType.FLOAT16),
    I8(DataType.INT8),
    U8(DataType.UINT8),
    I32(DataType.INT32),
    I64(DataType.INT64);

    private final DataType djl;

    SafetensorsDtype(DataType djl) {
        this.djl = djl;
    }

    /** The DJL type of the stored bytes (not of the loaded array: floats load as float32). */
    public DataType storedType() {
        return djl;
    }

    /** The DJL type {@link SafetensorsFile#load} returns: float32 for every float type, else the stored type. */
    public DataType loadedType() {
        return djl.isFloating() ? DataType.FLOAT32 : djl;
    }

    public int byteSize() {
        return djl.getNumOfBytes();
    }

    /** The safetensors name as written in a header. */
    public String headerName() {
        return name();
    }

    static SafetensorsDtype parse(String dtype, String tensor, Path file) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(dtype)) {
                return d;
            }
        }
        throw new CheckpointException(file + ": tensor '" + tensor + "' has dtype " + dtype
                + ", which is not supported (supported: F32, BF16, F16, I8, U8, I32, I64)");
    }
}
