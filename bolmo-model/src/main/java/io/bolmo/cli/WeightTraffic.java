package io.bolmo.cli;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Weight bytes a decoding step must read, for the memory-bandwidth bound. Embedding tables are excluded: a step
 * reads one row of each, not the matrix. Bolmo's local weights (encoder block, boundary predictor, pooling and
 * depooling projections, decoder blocks, LM head) run every byte; its global blocks ({@code model.layers.*}) once
 * per patch. A subword model reads its blocks and LM head every token.
 */
record WeightTraffic(long perStepBytes, long perPatchBytes) {

    static WeightTraffic of(Map<String, NDArray> weights) {
        long local = 0;
        long global = 0;
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            if (e.getKey().contains("embed")) {
                continue;
            }
            long bytes = e.getValue().getShape().size() * e.getValue().getDataType().getNumOfBytes();
            if (e.getKey().startsWith("model.layers.")) {
                global += bytes;
            } else {
                local += bytes;
            }
        }
        return new WeightTraffic(local, global);
    }

    /** Bytes read per generated unit when a patch (global step) happens every {@code unitsPerPatch} units. */
    double bytesPerUnit(double unitsPerPatch) {
        return perStepBytes + perPatchBytes / unitsPerPatch;
    }
}
