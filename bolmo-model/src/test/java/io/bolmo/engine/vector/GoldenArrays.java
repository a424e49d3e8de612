package io.bolmo.engine.vector;

import io.bolmo.io.SafetensorsFile;
import io.bolmo.io.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** The float32 arrays of a golden safetensors file as Java arrays (no DJL), and small helpers of the tests. */
final class GoldenArrays {

    private GoldenArrays() {}

    static Map<String, float[]> read(Path file) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (String name : f.names()) {
                TensorInfo t = f.info(name);
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, t.offset(), t.length())
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] a = new float[(int) (t.length() / 4)];
                b.asFloatBuffer().get(a);
                out.put(name, a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static float maxAbsDiff(float[] a, int ao, float[] b, int bo, int n) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(a[ao + i] - b[bo + i]));
        }
        return max;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        return maxAbsDiff(a, 0, b, 0, a.length);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Expanded subword ids → embedding rows (no match → row 0). */
    static int[] rows(int[] expanded) {
        int[] r = new int[expanded.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.max(0, expanded[i]);
        }
        return r;
    }
}
