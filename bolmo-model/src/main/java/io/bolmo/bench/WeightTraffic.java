package io.bolmo.bench;

import io.bolmo.engine.Engine;
import io.bolmo.engine.djl.DjlBolmoEngine;
import io.bolmo.engine.djl.DjlOlmoEngine;
import io.bolmo.engine.vector.VectorEngine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weight bytes a decoding step must read, for the memory-bandwidth bound, as the engine holds them (4 bytes a
 * weight in f32, 2 in bf16, 1.125 in q8_0, 0.625 in q4_0). By Hugging Face name: embedding tables are excluded (a step reads one
 * row of each); the boundary predictor is excluded (it runs in prefill only: decoding generates the boundary flag);
 * the global blocks ({@code model.layers.*}) and the pooling projection ({@code out_projection}) run once per patch;
 * everything else (encoder and decoder blocks, depooling, LM head) every byte. A subword model reads its blocks
 * and LM head every token.
 */
public record WeightTraffic(long perStepBytes, long perPatchBytes) {

    static WeightTraffic of(Engine engine) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        if (engine instanceof VectorEngine v) {
            bytes.putAll(v.weightBytesByName());
        } else if (engine instanceof DjlBolmoEngine d) {
            d.model().weights().all().forEach((n, a) -> bytes.put(n, a.getShape().size() * 4));
        } else if (engine instanceof DjlOlmoEngine d) {
            d.model().weights().all().forEach((n, a) -> bytes.put(n, a.getShape().size() * 4));
        } else {
            throw new IllegalArgumentException("no weight sizes for " + engine.describe());
        }
        return of(bytes);
    }

    static WeightTraffic of(Map<String, Long> bytesByName) {
        long local = 0;
        long global = 0;
        for (Map.Entry<String, Long> e : bytesByName.entrySet()) {
            String n = e.getKey();
            if (n.contains("embed") || n.contains("boundary_predictor")) {
                continue;
            }
            if (n.startsWith("model.layers.") || n.contains("out_projection")) {
                global += e.getValue();
            } else {
                local += e.getValue();
            }
        }
        return new WeightTraffic(local, global);
    }

    /** Bytes read per generated unit when a patch (global step) happens every {@code unitsPerPatch} units. */
    public double bytesPerUnit(double unitsPerPatch) {
        return perStepBytes + perPatchBytes / unitsPerPatch;
    }
}
