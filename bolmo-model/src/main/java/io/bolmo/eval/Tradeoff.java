package io.bolmo.eval;

import java.util.List;
import java.util.Locale;

/**
 * The compression trade-off of several Bolmo models (model.md §4.5, §8.2): held-out bytes per patch and bits per byte
 * against decode speed, as a Markdown table ({@code io.bolmo.plot.TradeoffChart} draws it).
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
}
