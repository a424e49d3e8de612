package io.bolmo.plot;

import io.bolmo.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Charts laid out in a grid and written as one PNG (atomically). Drawing needs no display: the command line runs
 * with {@code java.awt.headless=true}.
 */
public final class Figure {

    /** The image and where each chart landed in it. */
    public record Rendered(BufferedImage image, List<Chart.Drawn> charts) {}

    private final List<Chart> charts;
    private final int columns;
    private final int panelWidth;
    private final int panelHeight;

    public Figure(List<Chart> charts, int columns, int panelWidth, int panelHeight) {
        if (charts.isEmpty() || columns < 1 || panelWidth < 120 || panelHeight < 100) {
            throw new IllegalArgumentException("a figure needs >= 1 chart, >= 1 column and panels of at least "
                    + "120 x 100 px; got " + charts.size() + " charts, " + columns + " columns, " + panelWidth + " x "
                    + panelHeight);
        }
        this.charts = List.copyOf(charts);
        this.columns = columns;
        this.panelWidth = panelWidth;
        this.panelHeight = panelHeight;
    }

    public List<Chart> charts() {
        return charts;
    }

    /** Where chart {@code i} is drawn in the image. */
    public Rectangle panel(int i) {
        return new Rectangle((i % columns) * panelWidth, (i / columns) * panelHeight, panelWidth, panelHeight);
    }

    public Rendered render() {
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * panelWidth, rows * panelHeight, BufferedImage.TYPE_INT_RGB);
        List<Chart.Drawn> drawn = new ArrayList<>();
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D panel = (Graphics2D) g.create(); // each chart sets its own hints and clip
                try {
                    drawn.add(charts.get(i).draw(panel, panel(i)));
                } finally {
                    panel.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return new Rendered(image, List.copyOf(drawn));
    }

    public Path writePng(Path file) {
        BufferedImage image = render().image();
        AtomicFiles.writeFile(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
        return file;
    }
}
