package io.bolmo.eval;

import io.bolmo.plot.Chart;
import io.bolmo.plot.Figure;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The compression trade-off of several Bolmo models (spec 4.5, 8.2): held-out bytes per patch and bits per byte
 * against decode speed, as a Markdown table and a bits-per-byte-against-decode-speed plot ({@link Chart}).
 */
public final class Tradeoff {

    /**
     * One model's figures.
     *
     * @param label                 the model's name in the table and the legend
     * @param heldOutBytesPerPatch  held-out bytes per predicted patch (prefill boundaries, {@link HeldOutResult})
     * @param bitsPerByte           held-out bits per byte, flag marginalised
     * @param boundaryF1            the predictor's boundaries against the subword tokenizer's
     * @param decodeBytesPerSecond  greedy decode speed at batch 1 (best of the repeats)
     * @param decodeBytesPerPatch   bytes per global step while decoding (the decoder's own boundary flags)
     */
    public record Point(String label, double heldOutBytesPerPatch, double bitsPerByte, double boundaryF1,
            double decodeBytesPerSecond, double decodeBytesPerPatch) {}

    private Tradeoff() {
    }

    public static String markdown(List<Point> points) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | held-out bytes/patch | held-out bits/byte | boundary F1 vs subwords | decode bytes/s |"
                + " decode bytes/patch |\n|---|---:|---:|---:|---:|---:|\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.4f | %.4f | %.1f | %.3f |%n", p.label(),
                    p.heldOutBytesPerPatch(), p.bitsPerByte(), p.boundaryF1(), p.decodeBytesPerSecond(),
                    p.decodeBytesPerPatch()));
        }
        return sb.toString();
    }

    /** Bits per byte (y) against decode bytes/s (x), one labelled point per model. */
    public static Chart chart(List<Point> points) {
        Chart c = new Chart("Compression trade-off: held-out bits/byte vs decode speed", "decode bytes/s (batch 1)",
                "held-out bits per byte").padded(0.15);
        for (Point p : points) {
            c.points(String.format(Locale.ROOT, "%s (%.2f B/patch)", p.label(), p.heldOutBytesPerPatch()),
                    new double[] {p.decodeBytesPerSecond()}, new double[] {p.bitsPerByte()});
        }
        return c;
    }

    public static Path writePng(List<Point> points, Path file) {
        return new Figure(List.of(chart(points)), 1, 700, 450).writePng(file);
    }
}
