import io.bolmo.Bolmo;
import io.bolmo.generate.GenerationListener;
import io.bolmo.generate.GenerationOptions;
import io.bolmo.generate.GenerationResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One prefill in a fresh JVM and the memory it took (bin/prefill-memory runs it per prompt length): loads a model on
 * the CPU, prefills a prompt of the given KiB (Europarl-like English, a generation of 0 bytes: the prefill and
 * nothing else) and prints the process's resident set after the load, its peak (VmHWM) after the prefill and the
 * Java heap committed then (the rest of the peak is native: libtorch's tensors and allocator).
 * Uses only the public API of {@code Bolmo}; the third argument names the engine (djl or java, as
 * {@code Bolmo.Options.withEngine} takes it).
 *
 * <p>bin/prefill-memory starts it with the Vector API module, as every launcher here does; by hand:
 * {@code java --add-modules jdk.incubator.vector -cp bolmo-model/target/bolmo-model-*-cli.jar bin/PrefillMemory.java
 * MODEL_DIR KIB [djl|java]} (without the flag, {@code java} is refused with the flag to add).
 */
public final class PrefillMemory {

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int kib = Integer.parseInt(args[1]);
        String engine = args.length > 2 ? args[2] : "djl";
        try (Bolmo bolmo = Bolmo.load(model, Bolmo.Options.defaults().withDevice("cpu").withEngine(engine))) {
            bolmo.generate("warm-up", GenerationOptions.greedy(0), GenerationListener.NONE);
            long loaded = status("VmRSS");
            long loadPeak = status("VmHWM");
            GenerationResult r = bolmo.generate(text(kib * 1024), GenerationOptions.greedy(0),
                    GenerationListener.NONE);
            long peak = status("VmHWM");
            long heap = Runtime.getRuntime().totalMemory();
            System.out.printf("prompt_kib=%d prompt_bytes=%d rss_after_load_mib=%.0f peak_before_prefill_mib=%.0f"
                    + " peak_rss_mib=%.0f prefill_extra_mib=%.0f java_heap_committed_mib=%.0f prefill_s=%.2f%n", kib,
                    r.promptUnits(), loaded / 1024.0, loadPeak / 1024.0, peak / 1024.0, (peak - loaded) / 1024.0,
                    heap / 1048576.0, r.prefillNanos() / 1e9);
        }
    }

    /** A /proc/self/status field in KiB. */
    private static long status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }

    private static String text(int bytes) {
        String p = "Madam President, the Commission has presented its proposal on the protection of workers, and"
                + " the committee has examined it with great care. We must ensure that the rules are applied in"
                + " every Member State. ";
        StringBuilder sb = new StringBuilder(bytes + p.length());
        while (sb.length() < bytes) {
            sb.append(p);
        }
        return sb.substring(0, bytes);
    }
}
