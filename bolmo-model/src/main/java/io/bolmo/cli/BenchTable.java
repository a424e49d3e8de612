package io.bolmo.cli;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The rows of {@code bolmo bench}, rendered as one Markdown table (figure, value, how it was obtained). */
final class BenchTable {

    private final List<String[]> rows = new ArrayList<>();

    void bandwidth(double oneThread, double allThreads, int cores) {
        add("memory bandwidth, triad, 1 thread", gbs(oneThread), "best of 5, 24 B per element");
        add("memory bandwidth, triad, " + cores + " threads", gbs(allThreads), "best of 5");
        add("memory bandwidth used for the bounds", gbs(Math.max(oneThread, allThreads)), "the better of the two");
    }

    void created(String what, long params, double seconds, ProcessMemory memory) {
        add(what + ": create", String.format("%.2f s", seconds),
                String.format("%,d parameters (%s float32)", params, ProcessMemory.gb(params * 4)));
        add(what + ": memory after load", ProcessMemory.gb(memory.rssBytes()) + " RSS", memory.describe());
    }

    void bolmo(BolmoBench.Result r, double bandwidth, ProcessMemory loaded) {
        add("Bolmo forward, " + r.promptBytes() + " B", String.format("%.3f s", r.forwardSeconds()),
                String.format("%.0f B/s, whole sequence, no caches", (r.promptBytes() + 1) / r.forwardSeconds()));
        add("Bolmo prefill", String.format("%.1f B/s", r.prefillBytesPerSecond()),
                String.format("%d B prompt in %.3f s (boundary pass + cached prefill)", r.promptBytes(),
                        r.prefillSeconds()));
        add("Bolmo decode", String.format("%.2f B/s", r.decodeBytesPerSecond()),
                String.format("%d B in %.2f s, greedy, %.2f B/patch", r.decodedBytes(), r.decodeSeconds(),
                        r.bytesPerPatch()));
        double perByte = r.traffic().bytesPerUnit(r.bytesPerPatch());
        double bound = bandwidth / perByte;
        add("Bolmo weights read per byte", ProcessMemory.gb((long) perByte),
                String.format("local %s per byte + global %s per patch", ProcessMemory.gb(r.traffic().perStepBytes()),
                        ProcessMemory.gb(r.traffic().perPatchBytes())));
        add("Bolmo decode bound", String.format("%.2f B/s", bound), "bandwidth / weights read per byte");
        add("Bolmo decode / bound", String.format("%.2f", r.decodeBytesPerSecond() / bound), "goal ≥ 0.7");
        add("Bolmo memory after decode", ProcessMemory.gb(r.afterDecode().rssBytes()) + " RSS",
                r.afterDecode().describe() + String.format("; +%s since load",
                        ProcessMemory.gb(r.afterDecode().rssBytes() - loaded.rssBytes())));
    }

    void subword(SubwordBench.Result r, double bandwidth, double bytesPerToken, String tokenizer) {
        double perToken = r.traffic().bytesPerUnit(1);
        double bound = bandwidth / perToken;
        add("subword decode", String.format("%.2f tok/s", r.tokensPerSecond()),
                String.format("%d tokens in %.2f s after a %d-token prefill, KV cache", r.tokens(), r.decodeSeconds(),
                        r.promptTokens()));
        add("subword bytes per token", String.format("%.2f", bytesPerToken), tokenizer + " on the sample text");
        add("subword decode, bytes", String.format("%.2f B/s", r.tokensPerSecond() * bytesPerToken),
                "tok/s × bytes per token");
        add("subword weights read per token", ProcessMemory.gb((long) perToken), "all weights but the embedding");
        add("subword decode bound", String.format("%.2f tok/s", bound), "bandwidth / weights read per token");
        add("subword decode / bound", String.format("%.2f", r.tokensPerSecond() / bound), "goal ≥ 0.7");
        add("subword memory after decode", ProcessMemory.gb(r.afterDecode().rssBytes()) + " RSS",
                r.afterDecode().describe());
    }

    String markdown(String setting) {
        StringBuilder sb = new StringBuilder();
        sb.append("### bolmo bench, ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("\n\n").append(setting).append("\n\n");
        sb.append("| figure | value | notes |\n|---|---|---|\n");
        for (String[] r : rows) {
            sb.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
        }
        return sb.append('\n').toString();
    }

    private void add(String figure, String value, String notes) {
        rows.add(new String[] {figure, value, notes});
    }

    private static String gbs(double bytesPerSecond) {
        return String.format("%.1f GB/s", bytesPerSecond / 1e9);
    }
}
