package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.train.MetricsHistory;
import io.bolmo.train.StepMetrics;
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
        List<StepMetrics> m = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            m.add(new StepMetrics(i, 0, 0, i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        assertThat(TrainingCurves.smoothed(m, StepMetrics::crossEntropy, 2)).containsExactly(1, 1.5, 2.5, 3.5);
        MetricsHistory h = new MetricsHistory();
        m.forEach(h::add);
        Figure f = TrainingCurves.figure(List.of(new TrainingCurves.Run("stage 1", h),
                new TrainingCurves.Run("stage 2", h)), 1);
        BufferedImage image = f.render();
        assertThat(image.getWidth()).isEqualTo(2 * 620);
        assertThat(image.getHeight()).isEqualTo(2 * 380);
    }
}
