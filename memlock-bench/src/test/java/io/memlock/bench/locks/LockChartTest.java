package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG chart, drawn headless from fixed results; no benchmark runs. */
class LockChartTest {
  @Test
  void writesAPngWithSixPanelsAndTheContendersColours(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("chart.png");
    LockChart.write(ResultsFixture.sample(), "test run", file);

    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img.getWidth()).isEqualTo(LockChart.WIDTH);
    assertThat(img.getHeight()).isEqualTo(LockChart.HEIGHT);
    int memlock = LockChart.color(Contenders.MEMLOCK).getRGB();
    int redisson = LockChart.color(Contenders.REDISSON).getRGB();
    int pw = LockChart.WIDTH / 3;
    int ph = (LockChart.HEIGHT - 40) / 2;
    for (int panel = 0; panel < 6; panel++) {
      int x0 = (panel % 3) * pw;
      int y0 = 40 + (panel / 3) * ph;
      assertThat(count(img, x0, y0, pw, ph, memlock))
          .as("memlock's bars or legend in panel %d", panel + 1)
          .isGreaterThan(50);
    }
    // Redisson appears in panels 1 to 3 (the fixture has it there), not in panel 5.
    assertThat(count(img, 0, 40, pw, ph, redisson)).isGreaterThan(50);
    assertThat(count(img, 2 * pw, 40 + ph, pw, ph, redisson)).isZero();
  }

  @Test
  void drawsAnEmptyRunWithoutFailing() {
    BufferedImage img = LockChart.draw(new Results(), "nothing measured");
    assertThat(img.getWidth()).isEqualTo(LockChart.WIDTH);
  }

  @Test
  void axisHelpersRoundAndAbbreviate() {
    assertThat(BarPanel.niceCeiling(7)).isEqualTo(10);
    assertThat(BarPanel.niceCeiling(2100)).isEqualTo(2500);
    assertThat(BarPanel.niceCeiling(0.3)).isEqualTo(0.5);
    assertThat(BarPanel.compact(1500)).isEqualTo("1.5k");
    assertThat(BarPanel.compact(20_000)).isEqualTo("20k");
    assertThat(BarPanel.compact(1_250_000)).isEqualTo("1.25M");
    assertThat(BarPanel.compact(0.5)).isEqualTo("0.5");
  }

  @Test
  void aPanelNeedsOneValuePerGroupAndSeries() {
    assertThatThrownBy(
            () ->
                new BarPanel(
                    "t",
                    "u",
                    false,
                    List.of("a", "b"),
                    List.of("s"),
                    List.of(Color.RED),
                    new double[][] {{1}},
                    null,
                    Double.NaN,
                    "",
                    Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int count(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
    int n = 0;
    for (int x = x0; x < x0 + w; x++) {
      for (int y = y0; y < Math.min(img.getHeight(), y0 + h); y++) {
        if (img.getRGB(x, y) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
