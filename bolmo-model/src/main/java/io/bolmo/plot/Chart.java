package io.bolmo.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.data.time.MovingAverage;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One x/y panel of a {@link Figure}: line series (optionally a trailing moving average), point series, a legend
 * inside the plot. JFreeChart draws it (number axes with 1-2-5 tick units, gridlines, shapes, the legend); this class
 * only chooses the data range and the legend's corner. Non-finite values are gaps.
 */
public final class Chart {

    /** A named series; {@code line} joins the points in order, otherwise each point is a dot. */
    public record Series(String name, double[] x, double[] y, boolean line) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }
    }

    /**
     * Where one chart landed in the image.
     *
     * @param dataArea the plotting area (axes excluded), in image pixels
     * @param legend   the legend's box, in image pixels
     */
    public record Drawn(Rectangle2D dataArea, Rectangle2D legend, NumberAxis xAxis, NumberAxis yAxis) {

        /** The pixel a data point maps to. */
        public Point2D pixel(double x, double y) {
            return new Point2D.Double(xAxis.valueToJava2D(x, dataArea, RectangleEdge.BOTTOM),
                    yAxis.valueToJava2D(y, dataArea, RectangleEdge.LEFT));
        }
    }

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final double DOT = 9;
    /** How close (pixels) a point may come to the legend's box before it counts as hidden. */
    private static final double NEAR = 6;

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
        return add(new Series(name, x, y, true));
    }

    public Chart points(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, false));
    }

    /**
     * A line through the trailing moving average of {@code (x, y)}: at each x, the mean of the finite y whose x lies
     * in {@code (x − window, x]} (JFreeChart's {@link MovingAverage}); a gap where there is none. With one point
     * per step, a window of w steps averages the last w points.
     */
    public Chart movingAverage(String name, double[] x, double[] y, double window) {
        if (!(window > 0)) {
            throw new IllegalArgumentException("moving-average window = " + window + " must be > 0");
        }
        Series raw = new Series(name, x, y, true); // checks the lengths
        XYSeries source = new XYSeries(name, true, true);
        for (int i = 0; i < raw.x().length; i++) {
            if (Double.isFinite(x[i])) {
                source.add(x[i], Double.isFinite(y[i]) ? (Double) y[i] : null);
            }
        }
        XYSeries average = MovingAverage.createMovingAverage(new XYSeriesCollection(source), 0, name, window, 0);
        double[] ax = new double[average.getItemCount()];
        double[] ay = new double[ax.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = average.getX(i).doubleValue();
            Number v = average.getY(i);
            ay[i] = v == null ? Double.NaN : v.doubleValue();
        }
        return add(new Series(name, ax, ay, true));
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

    /**
     * Data range {xmin, xmax, ymin, ymax} over all finite points, widened to a unit when flat and by
     * {@link #padded}; {0, 1, 0, 1} when empty.
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

    /**
     * Draws the chart into {@code bounds}. The legend goes into the first of the plot's corners (top right, bottom
     * right, top left, bottom left) whose box comes near the fewest data points, so it hides none where a corner is
     * free: a first pass with nothing painted gives the data area the axes leave, the second draws.
     */
    Drawn draw(Graphics2D g, Rectangle bounds) {
        JFreeChart chart = build();
        XYPlot plot = chart.getXYPlot();
        LegendTitle legend = legend(plot);
        ChartRenderingInfo info = new ChartRenderingInfo();
        Size2D size;
        Graphics2D measure = (Graphics2D) g.create();
        try {
            measure.setClip(new Rectangle());
            chart.draw(measure, bounds, info); // sets the chart's rendering hints, which text sizes depend on
            size = legend.arrange(measure, RectangleConstraint.NONE);
        } finally {
            measure.dispose();
        }
        Rectangle2D area = (Rectangle2D) info.getPlotInfo().getDataArea().clone();
        NumberAxis xAxis = (NumberAxis) plot.getDomainAxis();
        NumberAxis yAxis = (NumberAxis) plot.getRangeAxis();
        RectangleAnchor corner = legendCorner(new Drawn(area, null, xAxis, yAxis), size);
        if (!series.isEmpty()) {
            boolean left = corner == RectangleAnchor.TOP_LEFT || corner == RectangleAnchor.BOTTOM_LEFT;
            boolean top = corner == RectangleAnchor.TOP_LEFT || corner == RectangleAnchor.TOP_RIGHT;
            // relative coordinates: (0, 0) is the data area's bottom left, (1, 1) its top right
            plot.addAnnotation(new XYTitleAnnotation(left ? 0 : 1, top ? 1 : 0, legend, corner), false);
        }
        chart.draw(g, bounds);
        return new Drawn(area, box(area, size, corner), xAxis, yAxis);
    }

    private JFreeChart build() {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            // keys must be unique in a collection; the legend shows the description, which is the name
            XYSeries xy = new XYSeries(i, false, true);
            xy.setDescription(s.name());
            for (int j = 0; j < s.x().length; j++) {
                xy.add(s.x()[j], Double.isFinite(s.x()[j]) && Double.isFinite(s.y()[j]) ? s.y()[j] : Double.NaN);
            }
            data.addSeries(xy);
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesLinesVisible(i, s.line());
            renderer.setSeriesShapesVisible(i, !s.line());
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-DOT / 2, -DOT / 2, DOT, DOT));
        }
        renderer.setLegendItemLabelGenerator((dataset, index) -> series.get(index).name());
        double[] r = range();
        NumberAxis x = axis(xLabel, r[0], r[1]);
        NumberAxis y = axis(yLabel, r[2], r[3]);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.GRAY);
        plot.setDomainGridlinePaint(new Color(0xe8e8e8));
        plot.setRangeGridlinePaint(new Color(0xe8e8e8));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        return chart;
    }

    private static NumberAxis axis(String label, double lo, double hi) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setRange(lo, hi);
        return axis;
    }

    private static LegendTitle legend(XYPlot plot) {
        LegendTitle legend = new LegendTitle(plot);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        legend.setBackgroundPaint(new Color(255, 255, 255, 210));
        legend.setFrame(new BlockBorder(new Color(0xcccccc)));
        legend.setMargin(new RectangleInsets(4, 4, 4, 4));
        legend.setPosition(RectangleEdge.RIGHT); // one item per row
        return legend;
    }

    private RectangleAnchor legendCorner(Drawn layout, Size2D size) {
        RectangleAnchor best = RectangleAnchor.TOP_RIGHT;
        int fewest = Integer.MAX_VALUE;
        for (RectangleAnchor corner : List.of(RectangleAnchor.TOP_RIGHT, RectangleAnchor.BOTTOM_RIGHT,
                RectangleAnchor.TOP_LEFT, RectangleAnchor.BOTTOM_LEFT)) {
            int covered = pointsNear(layout, box(layout.dataArea(), size, corner));
            if (covered < fewest) {
                best = corner;
                fewest = covered;
            }
        }
        return best;
    }

    /** The legend's box in {@code corner} of the data area, as {@link XYTitleAnnotation} places it. */
    private static Rectangle2D box(Rectangle2D area, Size2D size, RectangleAnchor corner) {
        boolean left = corner == RectangleAnchor.TOP_LEFT || corner == RectangleAnchor.BOTTOM_LEFT;
        boolean top = corner == RectangleAnchor.TOP_LEFT || corner == RectangleAnchor.TOP_RIGHT;
        return new Rectangle2D.Double(left ? area.getMinX() : area.getMaxX() - size.getWidth(),
                top ? area.getMinY() : area.getMaxY() - size.getHeight(), size.getWidth(), size.getHeight());
    }

    /** Data points within {@link #NEAR} pixels of {@code box} (a dot's radius and some air). */
    private int pointsNear(Drawn layout, Rectangle2D box) {
        Rectangle2D near = new Rectangle2D.Double(box.getX() - NEAR, box.getY() - NEAR, box.getWidth() + 2 * NEAR,
                box.getHeight() + 2 * NEAR);
        int n = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])
                        && near.contains(layout.pixel(s.x()[i], s.y()[i]))) {
                    n++;
                }
            }
        }
        return n;
    }
}
