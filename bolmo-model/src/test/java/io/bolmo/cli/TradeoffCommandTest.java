package io.bolmo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bolmo.testing.Golden;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bolmo tradeoff} on two golden tiny Bolmos: one table row and one plotted point per model. */
class TradeoffCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsARowPerModelAndWritesThePlot() throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "The committee adopted the proposal today.\n"
                + "Members voted against the amendment.\n", StandardCharsets.UTF_8);
        Path png = dir.resolve("img/tradeoff.png");
        Path md = dir.resolve("t.md");
        Cli r = Cli.run("tradeoff", "--model", "olmo3=" + Golden.modelDir("tiny-olmo3"), "--model",
                "olmo2=" + Golden.modelDir("tiny-olmo2"), "--corpus", corpus.toString(), "--held-out-every", "1",
                "--prompt-bytes", "16", "--decode-bytes", "8", "--repeats", "2", "--png", png.toString(), "--out",
                md.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 held-out documents").contains("| model | held-out bytes/patch |")
                .containsPattern("\\| olmo3 \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{4} \\|")
                .containsPattern("\\| olmo2 \\| \\d+\\.\\d{3} \\| \\d+\\.\\d{4} \\|")
                .doesNotContain("NaN");
        assertThat(r.err()).contains("repeat 2");
        assertThat(Files.readString(md)).isEqualTo(r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(700);
        assertThat(img.getHeight()).isEqualTo(450);
    }

    @Test
    void aMissingModelDirectoryIsAUsageError() throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "Hello.\n", StandardCharsets.UTF_8);
        Cli r = Cli.run("tradeoff", "--model", "x=" + dir.resolve("nope"), "--corpus", corpus.toString());
        assertThat(r.exitCode()).isEqualTo(BolmoCli.USAGE);
        assertThat(r.err()).contains("--model x=" + dir.resolve("nope") + ": not a directory");
    }
}
