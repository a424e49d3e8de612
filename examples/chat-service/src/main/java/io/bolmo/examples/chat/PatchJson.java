package io.bolmo.examples.chat;

import io.bolmo.generate.ByteBoundaries;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bolmo's per-byte patch reports as JSON for the page and the OpenAI extension: {@code bytes} (0..255),
 * {@code ends} (1 = the byte ends a patch) and {@code p} (the model's probability that it does, 4 decimals);
 * {@link ByteBoundaries} says where each comes from.
 */
final class PatchJson {

    private PatchJson() {}

    static Map<String, Object> of(ByteBoundaries b) {
        int n = b.length();
        int[] ends = new int[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            ends[i] = b.endsPatch()[i] ? 1 : 0;
            p[i] = Math.round(b.probability()[i] * 1e4) / 1e4;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", b.bytes());
        m.put("ends", ends);
        m.put("p", p);
        return m;
    }
}
