package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of one attention layer for one batch of sequences that advance together, over consecutive
 * positions {@code first … first+length−1}. A sliding-window layer keeps only the last {@code window − 1} entries,
 * all that a future query can see. Keys/values {@code [B, KVH, T, hd]}, owned by this cache's manager.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final int window; // 0 = full attention
    private NDArray keys;
    private NDArray values;
    private long first;

    public KvCache(NDManager parent, int window) {
        this.manager = parent.newSubManager();
        this.window = window;
    }

    /** All keys/values visible to the current queries; key i sits at position {@code firstPosition + i}. */
    record Visible(NDArray keys, NDArray values, long firstPosition) {}

    /** Appends new keys/values ({@code [B, KVH, n, hd]}) and returns all keys/values a query may attend to. */
    Visible append(NDArray newKeys, NDArray newValues) {
        NDArray k = keys == null ? newKeys : NDArrays.concat(new NDList(keys, newKeys), 2);
        NDArray v = values == null ? newValues : NDArrays.concat(new NDList(values, newValues), 2);
        long firstOfAll = first;
        long length = k.getShape().get(2);
        long keep = window > 0 ? Math.min(length, window - 1) : length;
        // keep a view of the tail; the concatenation itself is the only copy per step
        NDArray keptK = keep == length ? k : k.get(new NDIndex(":, :, " + (length - keep) + ":"));
        NDArray keptV = keep == length ? v : v.get(new NDIndex(":, :, " + (length - keep) + ":"));
        NDScope.unregister(keptK, keptV);
        keptK.attach(manager);
        keptV.attach(manager);
        if (keys != null) {
            keys.close();
            values.close();
        }
        keys = keptK;
        values = keptV;
        first = firstOfAll + (length - keep);
        return new Visible(k, v, firstOfAll);
    }

    /** Number of cached positions. */
    public long length() {
        return keys == null ? 0 : keys.getShape().get(2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
