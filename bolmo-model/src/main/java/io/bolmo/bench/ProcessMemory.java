package io.bolmo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of this process: resident set and its peak from {@code /proc/self/status} (Linux; 0 elsewhere), and the
 * Java heap. DJL's tensors live off-heap, so "native" is estimated as resident minus the used heap (it includes
 * libtorch's code, the JIT and thread stacks, a few hundred MiB, besides the tensors); the Java engine's weights are
 * file mappings (counted in the resident set as far as they were read) or heap arrays.
 */
public record ProcessMemory(long rssBytes, long peakRssBytes, long heapUsedBytes, long heapCommittedBytes) {

    public static ProcessMemory now() {
        Runtime rt = Runtime.getRuntime();
        return new ProcessMemory(statusKb("VmRSS:") * 1024, statusKb("VmHWM:") * 1024,
                rt.totalMemory() - rt.freeMemory(), rt.totalMemory());
    }

    /** Resident memory not accounted for by live Java objects: tensors, libtorch, JIT code, thread stacks. */
    long nativeBytes() {
        return Math.max(0, rssBytes - heapUsedBytes);
    }

    public String describe() {
        return String.format("RSS %s (peak %s), native ≈ %s, Java heap used %s", gb(rssBytes), gb(peakRssBytes),
                gb(nativeBytes()), gb(heapUsedBytes));
    }

    public static String gb(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.2f GiB", bytes / (double) (1L << 30))
                : String.format("%.0f MiB", bytes / (double) (1L << 20));
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report 0 rather than fail the benchmark
        }
        return 0;
    }
}
