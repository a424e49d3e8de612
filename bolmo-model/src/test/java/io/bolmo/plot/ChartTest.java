package io.bolmo.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    @Test
    void ticksAreRoundAndInsideTheRange() {
        Chart chart = new Chart("t", "x", "y").line("a", new double[] {0, 1}, new double[] {1.83, 2.61})
                .points("b", new double[] {0.5}, new double[] {1500});
        Figure.Rendered r = new Figure(List.of(chart), 1, 400, 300).render();
        Chart.Drawn d = r.charts().get(0);
        for (NumberAxis axis : List.of(d.xAxis(), d.yAxis())) {
            List<?> all = axis.refreshTicks(r.image().createGraphics(), new AxisState(), d.dataArea(),
                    axis == d.xAxis() ? RectangleEdge.BOTTOM : RectangleEdge.LEFT);
            List<ValueTick> ticks = all.stream().map(ValueTick.class::cast).filter(t -> t.getTickType() == TickType.MAJOR).toList();
            double unit = axis.getTickUnit().getSize();
            double mantissa = unit / Math.pow(10, Math.floor(Math.log10(unit)));
            assertThat(mantissa).as("tick unit %s", unit).isCloseTo(Math.rint(mantissa), Offset.offset(1e-9))
                    .isIn(1.0, 2.0, 5.0);
            assertThat(ticks).hasSizeGreaterThanOrEqualTo(3);
            for (ValueTick tick : ticks) {
                double t = tick.getValue();
                assertThat(t).isBetween(axis.getLowerBound(), axis.getUpperBound());
                assertThat(Math.abs(t / unit - Math.rint(t / unit))).as("tick %s a multiple of %s", t, unit)
                        .isLessThan(1e-9);
            }
        }
    }

    @Test
    void aPointIsDrawnWhereItsValueMapsInTheSeriesColour() throws Exception {
        Chart chart = new Chart("t", "x", "y").points("a", new double[] {0, 10}, new double[] {0, 5});
        Figure figure = new Figure(List.of(chart), 1, 400, 300);
        BufferedImage image = ImageIO.read(figure.writePng(dir.resolve("p.png")).toFile());
        assertThat(image.getWidth()).isEqualTo(400);
        Chart.Drawn d = figure.render().charts().get(0);
        // the point (10, 5) is the top-right corner of the plot area
        Point2D corner = d.pixel(10, 5);
        assertThat(corner.getX()).isCloseTo(d.dataArea().getMaxX(), Offset.offset(1e-9));
        assertThat(corner.getY()).isCloseTo(d.dataArea().getMinY(), Offset.offset(1e-9));
        assertThat(rgb(image, corner, -2, 2)).isEqualTo(rgb(Chart.PALETTE[0]));
        // halfway between gridlines in the middle of the plot there is nothing
        double xUnit = d.xAxis().getTickUnit().getSize();
        double yUnit = d.yAxis().getTickUnit().getSize();
        Point2D empty = d.pixel((Math.floor(5 / xUnit) + 0.5) * xUnit, (Math.floor(2.5 / yUnit) + 0.5) * yUnit);
        assertThat(rgb(image, empty, 0, 0)).isEqualTo(0xffffff);
    }

    @Test
    void theLegendTakesACornerThatHidesNoPoint() throws Exception {
        // points in three corners (top right, bottom right, bottom left): the legend must go top left
        Chart chart = new Chart("t", "x", "y").points("a series with a long name", new double[] {10, 10, 0},
                new double[] {5, 0, 0});
        Figure figure = new Figure(List.of(chart), 1, 400, 300);
        BufferedImage image = ImageIO.read(figure.writePng(dir.resolve("legend.png")).toFile());
        Chart.Drawn d = figure.render().charts().get(0);
        Rectangle2D area = d.dataArea();
        Rectangle2D box = d.legend();
        assertThat(box.getX()).isCloseTo(area.getMinX(), Offset.offset(1.0));
        assertThat(box.getY()).isCloseTo(area.getMinY(), Offset.offset(1.0));
        assertThat(box.getMaxX()).isLessThan(area.getCenterX() + area.getWidth() / 4);
        int colour = rgb(Chart.PALETTE[0]);
        assertThat(rgb(image, d.pixel(10, 5), -2, 2)).isEqualTo(colour);
        assertThat(rgb(image, d.pixel(10, 0), -2, -2)).isEqualTo(colour);
        assertThat(rgb(image, d.pixel(0, 0), 2, -2)).isEqualTo(colour);
        // the legend's item (its dot, in the series colour) is drawn inside its box
        int inBox = 0;
        for (int y = (int) box.getMinY(); y < box.getMaxY(); y++) {
            for (int x = (int) box.getMinX(); x < box.getMaxX(); x++) {
                inBox += (image.getRGB(x, y) & 0xffffff) == colour ? 1 : 0;
            }
        }
        assertThat(inBox).isGreaterThan(10);
    }

    @Test
    void theLegendStaysTopRightWhenThatCornerIsFree() {
        Chart chart = new Chart("t", "x", "y").points("a", new double[] {0, 5, 10}, new double[] {0, 1, 0});
        Chart.Drawn d = new Figure(List.of(chart), 1, 400, 300).render().charts().get(0);
        assertThat(d.legend().getMaxX()).isCloseTo(d.dataArea().getMaxX(), Offset.offset(1.0));
        assertThat(d.legend().getMinY()).isCloseTo(d.dataArea().getMinY(), Offset.offset(1.0));
    }

    @Test
    void paddingWidensBothAxesOnEachSide() {
        Chart chart = new Chart("t", "x", "y").points("a", new double[] {0, 10}, new double[] {2, 4}).padded(0.1);
        double[] expected = {-1.0, 11.0, 1.8, 4.2};
        for (int i = 0; i < 4; i++) {
            assertThat(chart.range()[i]).isCloseTo(expected[i], Offset.offset(1e-12));
        }
        Chart.Drawn d = new Figure(List.of(chart), 1, 400, 300).render().charts().get(0);
        assertThat(d.xAxis().getLowerBound()).isCloseTo(-1.0, Offset.offset(1e-12));
        assertThat(d.yAxis().getUpperBound()).isCloseTo(4.2, Offset.offset(1e-12));
    }

    @Test
    void mismatchedSeriesTinyPanelsAndBadWindowsAreRefusedByName() {
        assertThatThrownBy(() -> new Chart("t", "x", "y").line("loss", new double[2], new double[3]))
                .hasMessageContaining("series 'loss': 2 x values but 3 y values");
        assertThatThrownBy(() -> new Chart("t", "x", "y").movingAverage("loss", new double[2], new double[3], 2))
                .hasMessageContaining("series 'loss': 2 x values but 3 y values");
        assertThatThrownBy(() -> new Chart("t", "x", "y").movingAverage("loss", new double[2], new double[2], 0))
                .hasMessageContaining("window = 0.0 must be > 0");
        assertThatThrownBy(() -> new Figure(List.of(new Chart("t", "x", "y")), 1, 50, 300))
                .hasMessageContaining("50 x 300");
    }

    @Test
    void curvesAreTrailingMovingAveragesOnOneStepAxisAcrossStages() {
        Chart.Series s = new Chart("t", "x", "y").movingAverage("a", new double[] {1, 2, 3, 4},
                new double[] {1, 2, 3, 4}, 2).series().get(0);
        assertThat(s.x()).containsExactly(1, 2, 3, 4);
        assertThat(s.y()).containsExactly(1, 1.5, 2.5, 3.5);
        assertThat(new Chart("t", "x", "y").movingAverage("a", new double[] {1, 2}, new double[] {Double.NaN, 2}, 2)
                .series().get(0).y()).containsExactly(Double.NaN, 2);
        List<JsonObject> entries = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            entries.add(JsonParser.parseString("{\"kind\":\"train\",\"step\":" + i + ",\"ce\":" + i
                    + ",\"bnd\":0.1,\"enc\":0,\"bnd_acc\":0.9,\"bnd_f1\":0.8,\"bpb\":null,\"bytes_per_patch\":2}")
                    .getAsJsonObject());
        }
        entries.add(JsonParser.parseString("{\"kind\":\"eval\",\"step\":4,\"bpb\":2.5}").getAsJsonObject());
        Figure f = TrainingCurves.figure(List.of(new TrainingCurves.Run("stage 1", entries),
                new TrainingCurves.Run("stage 2", entries)), 1);
        BufferedImage image = f.render().image();
        assertThat(image.getWidth()).isEqualTo(2 * 620);
        assertThat(image.getHeight()).isEqualTo(2 * 380);
        // stage 2 continues the step axis where stage 1 ended
        List<Chart.Series> losses = f.charts().get(0).series();
        assertThat(losses).extracting(Chart.Series::name).containsExactly("stage 1 L_CE", "stage 1 L_bnd",
                "stage 2 L_CE", "stage 2 L_bnd");
        assertThat(losses.get(2).x()).containsExactly(5, 6, 7, 8);
        assertThat(losses.get(2).y()).containsExactly(1, 2, 3, 4);
    }

    private static int rgb(BufferedImage image, Point2D p, int dx, int dy) {
        return image.getRGB((int) Math.round(p.getX()) + dx, (int) Math.round(p.getY()) + dy) & 0xffffff;
    }

    private static int rgb(java.awt.Color c) {
        return c.getRGB() & 0xffffff;
    }
}
