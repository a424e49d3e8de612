package io.bolmo.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One x/y panel of a {@link Figure}: line or point series, linear axes with round tick values, a legend. Java2D
 * only (headless), so the project renders its own training curves and trade-off plots without a plotting stack.
 */
public final class Chart {

    /** A named series; {@code line} joins the points in order, otherwise each point is a dot. */
    public record Series(String name, double[] x, double[] y, Color color, boolean line) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }
    }

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final int LEFT = 58;
    private static final int RIGHT = 12;
    private static final int TOP = 26;
    private static final int BOTTOM = 40;
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double padding;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart line(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, PALETTE[series.size() % PALETTE.length], true));
    }

    public Chart points(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, PALETTE[series.size() % PALETTE.length], false));
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** Widens both axes by {@code fraction} of the data range on each side (a few points off the frame). */
    public Chart padded(double fraction) {
        if (!(fraction >= 0)) {
            throw new IllegalArgumentException("padding = " + fraction + " must be >= 0");
        }
        this.padding = fraction;
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    /** The plotting area inside {@code bounds} (axes excluded): where data points land. */
    public static Rectangle plotArea(Rectangle bounds) {
        return new Rectangle(bounds.x + LEFT, bounds.y + TOP, bounds.width - LEFT - RIGHT,
                bounds.height - TOP - BOTTOM);
    }

    /**
     * Data range {xmin, xmax, ymin, ymax} over all finite points, padded when flat and by {@link #padded}; {0,1,0,1}
     * when empty.
     */
    public double[] range() {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    r[0] = Math.min(r[0], s.x()[i]);
                    r[1] = Math.max(r[1], s.x()[i]);
                    r[2] = Math.min(r[2], s.y()[i]);
                    r[3] = Math.max(r[3], s.y()[i]);
                }
            }
        }
        if (r[0] > r[1]) {
            return new double[] {0, 1, 0, 1};
        }
        for (int i = 0; i < 4; i += 2) {
            if (r[i] == r[i + 1]) {
                r[i] -= 0.5;
                r[i + 1] += 0.5;
            }
            double pad = (r[i + 1] - r[i]) * padding;
            r[i] -= pad;
            r[i + 1] += pad;
        }
        return r;
    }

    void draw(Graphics2D g, Rectangle bounds) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Rectangle area = plotArea(bounds);
        double[] r = range();
        drawAxes(g, bounds, area, r);
        java.awt.Shape clip = g.getClip();
        g.clip(area);
        for (Series s : series) {
            drawSeries(g, s, area, r);
        }
        g.setClip(clip);
        g.setFont(LEGEND_FONT);
        drawLegend(g, legendBox(g.getFontMetrics(), area));
    }

    /**
     * Where the legend goes: the first of the plot area's corners (top right, bottom right, top left, bottom left)
     * whose box covers the fewest data points, so that it hides none where a corner is free.
     */
    Rectangle legendBox(FontMetrics fm, Rectangle area) {
        int width = 0;
        for (Series s : series) {
            width = Math.max(width, fm.stringWidth(s.name()));
        }
        width += 24;
        int height = 15 * series.size();
        int left = area.x + 6;
        int right = area.x + area.width - width - 4;
        int top = area.y + 3;
        int bottom = area.y + area.height - height - 3;
        Rectangle best = null;
        int fewest = Integer.MAX_VALUE;
        for (int[] corner : new int[][] {{right, top}, {right, bottom}, {left, top}, {left, bottom}}) {
            Rectangle box = new Rectangle(corner[0], corner[1], width, height);
            int covered = pointsNear(box, area);
            if (covered < fewest) {
                best = box;
                fewest = covered;
            }
        }
        return best;
    }

    /** Data points within 6 pixels of {@code box} (a dot's radius and some air). */
    private int pointsNear(Rectangle box, Rectangle area) {
        Rectangle near = new Rectangle(box.x - 6, box.y - 6, box.width + 12, box.height + 12);
        double[] r = range();
        int n = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])
                        && near.contains(pxD(s.x()[i], area, r), pyD(s.y()[i], area, r))) {
                    n++;
                }
            }
        }
        return n;
    }

    private void drawAxes(Graphics2D g, Rectangle bounds, Rectangle area, double[] r) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t : ticks(r[0], r[1])) {
            int px = px(t, area, r);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(px, area.y, px, area.y + area.height);
            g.setColor(Color.DARK_GRAY);
            String label = label(t);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, area.y + area.height + 14);
        }
        for (double t : ticks(r[2], r[3])) {
            int py = py(t, area, r);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(area.x, py, area.x + area.width, py);
            g.setColor(Color.DARK_GRAY);
            String label = label(t);
            g.drawString(label, area.x - 4 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.GRAY);
        g.drawRect(area.x, area.y, area.width, area.height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, area.x, bounds.y + 17);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(xLabel, area.x + (area.width - g.getFontMetrics().stringWidth(xLabel)) / 2,
                bounds.y + bounds.height - 8);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(area.y + (area.height + g.getFontMetrics().stringWidth(yLabel)) / 2),
                bounds.x + 12);
        rotated.dispose();
    }

    private static void drawSeries(Graphics2D g, Series s, Rectangle area, double[] r) {
        g.setColor(s.color());
        if (s.line()) {
            g.setStroke(new BasicStroke(1.6f));
            Path2D.Double path = new Path2D.Double();
            boolean open = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                    open = false; // a gap, not a jump across it
                    continue;
                }
                double px = pxD(s.x()[i], area, r);
                double py = pyD(s.y()[i], area, r);
                if (open) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    open = true;
                }
            }
            g.draw(path);
        } else {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    g.fillOval(px(s.x()[i], area, r) - 4, py(s.y()[i], area, r) - 4, 9, 9);
                }
            }
        }
    }

    private void drawLegend(Graphics2D g, Rectangle box) {
        g.setColor(new Color(255, 255, 255, 210));
        g.fillRect(box.x, box.y, box.width, box.height);
        int y = box.y + 11;
        for (Series s : series) {
            g.setColor(s.color());
            g.fillRect(box.x + 2, y - 6, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), box.x + 20, y);
            y += 15;
        }
    }

    static int px(double x, Rectangle area, double[] r) {
        return (int) Math.round(pxD(x, area, r));
    }

    static int py(double y, Rectangle area, double[] r) {
        return (int) Math.round(pyD(y, area, r));
    }

    private static double pxD(double x, Rectangle area, double[] r) {
        return area.x + (x - r[0]) / (r[1] - r[0]) * area.width;
    }

    private static double pyD(double y, Rectangle area, double[] r) {
        return area.y + area.height - (y - r[2]) / (r[3] - r[2]) * area.height;
    }

    /** About five round tick values (1, 2 or 5 times a power of ten apart) within [lo, hi]. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
