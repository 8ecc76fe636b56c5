package io.memlock.bench.locks;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;

/**
 * Draws a run's {@link Results} as one PNG of six panels (java.awt, headless): scenario 1's
 * latencies, scenario 2's throughput by thread count, scenario 3's hot-name throughput, scenario
 * 4's hand-off latency and fairness, and scenario 5's client CPU with the renewal traffic written
 * above each bar.
 */
public final class LockChart {
  /** The image's width in pixels. */
  public static final int WIDTH = 1500;

  /** The image's height in pixels. */
  public static final int HEIGHT = 1000;

  private static final Map<String, Color> COLORS =
      Map.of(
          Contenders.MEMLOCK, new Color(31, 119, 180),
          Contenders.MEMLOCK_NO_COHORT, new Color(120, 170, 215),
          Contenders.MEMLOCK_FAST_RETRY, new Color(23, 190, 207),
          Contenders.RAW, new Color(127, 127, 127),
          Contenders.RAW_MEMLOCK_COMMANDS, new Color(190, 190, 190),
          Contenders.REDISSON, new Color(214, 39, 40),
          Contenders.REDISSON_FENCED, new Color(255, 152, 150),
          Contenders.SHEDLOCK, new Color(44, 160, 44));

  private LockChart() {}

  /**
   * Writes the chart.
   *
   * @param r the results
   * @param title the chart's title (e.g. the machine and date)
   * @param file the PNG to write
   * @throws IOException if the file cannot be written
   */
  public static void write(Results r, String title, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    ImageIO.write(draw(r, title), "png", file.toFile());
  }

  /**
   * Draws the chart.
   *
   * @param r the results
   * @param title the chart's title
   * @return the image
   */
  public static BufferedImage draw(Results r, String title) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.drawString(title, 15, 26);
      List<BarPanel> panels = panels(r);
      int pw = WIDTH / 3;
      int ph = (HEIGHT - 40) / 2;
      for (int i = 0; i < panels.size() && i < 6; i++) {
        panels.get(i).draw(g, (i % 3) * pw, 40 + (i / 3) * ph, pw, ph);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Returns the colour of a contender.
   *
   * @param id the contender id
   * @return its colour, grey for unknown ids
   */
  static Color color(String id) {
    return COLORS.getOrDefault(id, Color.LIGHT_GRAY);
  }

  /**
   * Builds the six panels.
   *
   * @param r the results
   * @return the panels
   */
  static List<BarPanel> panels(Results r) {
    List<BarPanel> panels = new ArrayList<>();
    panels.add(latency(r));
    panels.add(
        byN(
            r,
            2,
            Measurement.OPS,
            "2. Distinct names: throughput",
            "lock+unlock/s",
            true,
            "threads"));
    panels.add(hot(r));
    panels.add(
        withGoal(
            byN(
                r,
                4,
                Goals.CROSS_P50,
                "4. Hot name, N processes: p50 hand-off",
                "µs, to another process",
                true,
                "processes"),
            2000,
            "goal: 2 ms"));
    BarPanel jain =
        byN(
            r,
            4,
            LockReport.JAIN,
            "4. Hot name, N processes: fairness",
            "Jain's index of acquisitions per process (1 = equal)",
            false,
            "processes");
    panels.add(
        new BarPanel(
            jain.title(),
            jain.unit(),
            false,
            jain.groups(),
            jain.series(),
            jain.colors(),
            jain.values(),
            null,
            Double.NaN,
            "",
            1.0));
    panels.add(renewal(r));
    return panels;
  }

  private static BarPanel latency(Results r) {
    List<String> cs = r.contenders(1);
    double[][] v = new double[2][cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      v[0][i] = get(r.value(1, cs.get(i), 1, Measurement.P50));
      v[1][i] = get(r.value(1, cs.get(i), 1, Measurement.P99));
    }
    return new BarPanel(
        "1. Uncontended lock+unlock, 1 thread",
        "µs per lock + unlock",
        true,
        List.of("p50", "p99"),
        labels(cs),
        colors(cs),
        v,
        null,
        Double.NaN,
        "",
        Double.NaN);
  }

  private static BarPanel hot(Results r) {
    List<String> cs = r.contenders(3);
    List<Integer> ns = r.ns(3);
    int t = ns.isEmpty() ? 16 : ns.get(ns.size() - 1);
    double[][] v = new double[1][cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      v[0][i] = get(r.value(3, cs.get(i), t, Measurement.OPS));
    }
    return new BarPanel(
        "3. One hot name, " + t + " threads, 1 JVM",
        "lock+unlock/s",
        true,
        List.of(t + " threads"),
        labels(cs),
        colors(cs),
        v,
        null,
        Double.NaN,
        "",
        Double.NaN);
  }

  private static BarPanel renewal(Results r) {
    List<String> cs = r.contenders(5);
    List<Integer> leases = r.ns(5);
    double[][] v = new double[leases.size()][cs.size()];
    String[][] notes = new String[leases.size()][cs.size()];
    for (int li = 0; li < leases.size(); li++) {
      for (int i = 0; i < cs.size(); i++) {
        int lease = leases.get(li);
        v[li][i] = get(r.value(5, cs.get(i), lease, LockReport.CLIENT_CPU));
        OptionalDouble renewals = r.value(5, cs.get(i), lease, LockReport.RENEWALS);
        notes[li][i] =
            renewals.isPresent() ? BarPanel.compact(renewals.getAsDouble()) + "/s" : null;
      }
    }
    List<String> groups = leases.stream().map(l -> "lease " + l + " s").toList();
    return new BarPanel(
        "5. 10,000 held locks: client CPU",
        "% of one core; above bars: renewal requests/s to the server",
        false,
        groups,
        labels(cs),
        colors(cs),
        v,
        notes,
        Double.NaN,
        "",
        Double.NaN);
  }

  private static BarPanel byN(
      Results r, int scenario, String metric, String title, String unit, boolean log, String noun) {
    List<String> cs = r.contenders(scenario);
    List<Integer> ns = r.ns(scenario);
    double[][] v = new double[ns.size()][cs.size()];
    for (int ni = 0; ni < ns.size(); ni++) {
      for (int i = 0; i < cs.size(); i++) {
        v[ni][i] = get(r.value(scenario, cs.get(i), ns.get(ni), metric));
      }
    }
    return new BarPanel(
        title,
        unit,
        log,
        ns.stream()
            .map(n -> n + " " + (n == 1 ? noun.substring(0, noun.length() - 1) : noun))
            .toList(),
        labels(cs),
        colors(cs),
        v,
        null,
        Double.NaN,
        "",
        Double.NaN);
  }

  private static BarPanel withGoal(BarPanel p, double goal, String label) {
    return new BarPanel(
        p.title(),
        p.unit(),
        p.log(),
        p.groups(),
        p.series(),
        p.colors(),
        p.values(),
        p.notes(),
        goal,
        label,
        p.max());
  }

  private static double get(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }

  private static List<String> labels(List<String> ids) {
    return ids.stream().map(Contenders::label).toList();
  }

  private static List<Color> colors(List<String> ids) {
    return ids.stream().map(LockChart::color).toList();
  }
}
