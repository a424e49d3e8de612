package io.bolmo.plot;

import io.bolmo.eval.Tradeoff;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The compression trade-off ({@link Tradeoff}) as a plot: held-out bits per byte against decode speed. */
public final class TradeoffChart {

    private TradeoffChart() {}

    /** Bits per byte (y) against decode bytes/s (x), one labelled point per model. */
    public static Chart chart(List<Tradeoff.Point> points) {
        Chart c = new Chart("Compression trade-off: held-out bits/byte vs decode speed", "decode bytes/s (batch 1)",
                "held-out bits per byte").padded(0.15);
        for (Tradeoff.Point p : points) {
            c.points(String.format(Locale.ROOT, "%s (%.2f B/patch)", p.label(), p.heldOutBytesPerPatch()),
                    new double[] {p.decodeBytesPerSecond()}, new double[] {p.bitsPerByte()});
        }
        return c;
    }

    public static Path writePng(List<Tradeoff.Point> points, Path file) {
        return new Figure(List.of(chart(points)), 1, 700, 450).writePng(file);
    }
}
