package io.bolmo.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    @Test
    void ticksAreRoundAndInsideTheRange() {
        assertThat(Chart.ticks(0, 1)).containsExactly(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
        assertThat(Chart.ticks(1.83, 2.61)).allSatisfy(t -> assertThat(t).isBetween(1.83, 2.61));
        assertThat(Chart.ticks(0, 1500)).containsExactly(0.0, 200.0, 400.0, 600.0, 800.0, 1000.0, 1200.0, 1400.0);
    }

    @Test
    void aPointIsDrawnWhereItsValueMapsInTheSeriesColour() throws Exception {
        Chart chart = new Chart("t", "x", "y").points("a", new double[] {0, 10}, new double[] {0, 5});
        Figure figure = new Figure(List.of(chart), 1, 400, 300);
        BufferedImage image = ImageIO.read(figure.writePng(dir.resolve("p.png")).toFile());
        assertThat(image.getWidth()).isEqualTo(400);
        Rectangle area = Chart.plotArea(figure.panel(0));
        double[] r = chart.range();
        // the point (10, 5) is the top-right corner of the plot area; (5, 2.5) is empty
        assertThat(image.getRGB(Chart.px(10, area, r) - 2, Chart.py(5, area, r) + 2) & 0xffffff)
                .isEqualTo(Chart.PALETTE[0].getRGB() & 0xffffff);
        assertThat(image.getRGB(Chart.px(5, area, r), Chart.py(2.5, area, r)) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void theLegendTakesACornerThatHidesNoPoint() throws Exception {
        // points in three corners (top right, bottom right, bottom left): the legend must go top left
        Chart chart = new Chart("t", "x", "y").points("a series with a long name", new double[] {10, 10, 0},
                new double[] {5, 0, 0});
        Figure figure = new Figure(List.of(chart), 1, 400, 300);
        BufferedImage image = ImageIO.read(figure.writePng(dir.resolve("legend.png")).toFile());
        Rectangle area = Chart.plotArea(figure.panel(0));
        double[] r = chart.range();
        Rectangle box = chart.legendBox(image.getGraphics().getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF,
                java.awt.Font.PLAIN, 11)), area);
        assertThat(box.x).isLessThan(area.x + area.width / 2);
        assertThat(box.y).isLessThan(area.y + area.height / 2);
        int colour = Chart.PALETTE[0].getRGB() & 0xffffff;
        assertThat(image.getRGB(Chart.px(10, area, r) - 2, Chart.py(5, area, r) + 2) & 0xffffff).isEqualTo(colour);
        assertThat(image.getRGB(Chart.px(10, area, r) - 2, Chart.py(0, area, r) - 2) & 0xffffff).isEqualTo(colour);
        assertThat(image.getRGB(Chart.px(0, area, r) + 2, Chart.py(0, area, r) - 2) & 0xffffff).isEqualTo(colour);
        // the legend's colour swatch is drawn inside its box
        assertThat(image.getRGB(box.x + 8, box.y + 6) & 0xffffff).isEqualTo(colour);
    }

    @Test
    void paddingWidensBothAxesOnEachSide() {
        Chart chart = new Chart("t", "x", "y").points("a", new double[] {0, 10}, new double[] {2, 4}).padded(0.1);
        double[] expected = {-1.0, 11.0, 1.8, 4.2};
        for (int i = 0; i < 4; i++) {
            assertThat(chart.range()[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void mismatchedSeriesAndTinyPanelsAreRefusedByName() {
        assertThatThrownBy(() -> new Chart("t", "x", "y").line("loss", new double[2], new double[3]))
                .hasMessageContaining("series 'loss': 2 x values but 3 y values");
        assertThatThrownBy(() -> new Figure(List.of(new Chart("t", "x", "y")), 1, 50, 300))
                .hasMessageContaining("50 x 300");
    }

    @Test
    void curvesAreTrailingMovingAveragesOnOneStepAxisAcrossStages() {
        assertThat(TrainingCurves.smoothed(new double[] {1, 2, 3, 4}, 2)).containsExactly(1, 1.5, 2.5, 3.5);
        assertThat(TrainingCurves.smoothed(new double[] {Double.NaN, 2}, 2)).containsExactly(Double.NaN, 2);
        List<JsonObject> entries = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            entries.add(JsonParser.parseString("{\"kind\":\"train\",\"step\":" + i + ",\"ce\":" + i
                    + ",\"bnd\":0.1,\"bnd_acc\":0.9,\"bnd_f1\":0.8,\"bpb\":null,\"bytes_per_patch\":2}")
                    .getAsJsonObject());
        }
        entries.add(JsonParser.parseString("{\"kind\":\"eval\",\"step\":4,\"bpb\":2.5}").getAsJsonObject());
        Figure f = TrainingCurves.figure(List.of(new TrainingCurves.Run("stage 1", entries),
                new TrainingCurves.Run("stage 2", entries)), 1);
        BufferedImage image = f.render();
        assertThat(image.getWidth()).isEqualTo(2 * 620);
        assertThat(image.getHeight()).isEqualTo(2 * 380);
    }
}
