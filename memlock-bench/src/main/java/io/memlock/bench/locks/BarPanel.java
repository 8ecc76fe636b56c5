package io.memlock.bench.locks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.util.List;
import java.util.Locale;

/**
 * One grouped bar chart of {@link LockChart}: groups along the x axis, one bar per series in each
 * group, a linear or logarithmic y axis, an optional dashed goal line and optional text above bars.
 * Missing values ({@code NaN}) leave a gap.
 *
 * @param title the panel's title
 * @param unit the y axis's unit
 * @param log true for a logarithmic y axis
 * @param groups the x axis's groups
 * @param series the bars of each group (legend names)
 * @param colors one colour per series
 * @param values {@code values[group][series]}
 * @param notes text above a bar, {@code notes[group][series]}, or null
 * @param goal a value to mark with a dashed line, or NaN
 * @param goalLabel the goal line's label
 * @param max the top of a linear y axis, or NaN to fit the values
 */
record BarPanel(
    String title,
    String unit,
    boolean log,
    List<String> groups,
    List<String> series,
    List<Color> colors,
    double[][] values,
    String[][] notes,
    double goal,
    String goalLabel,
    double max) {

  /** Checks that the arrays fit the groups and series. */
  BarPanel {
    if (values.length != groups.size() || colors.size() != series.size()) {
      throw new IllegalArgumentException(
          "values must have one row per group, colors one per series");
    }
    for (double[] row : values) {
      if (row.length != series.size()) {
        throw new IllegalArgumentException("each values row needs one value per series");
      }
    }
  }

  /** The smallest and largest positive value, goal included. */
  private double[] range() {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double[] row : values) {
      for (double v : row) {
        if (!Double.isNaN(v) && v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!Double.isNaN(goal) && goal > 0) {
      min = Math.min(min, goal);
      max = Math.max(max, goal);
    }
    if (max == 0) {
      return new double[] {1, 10};
    }
    if (log) {
      double lo = Math.pow(10, Math.floor(Math.log10(min)));
      double hi = Math.pow(10, Math.ceil(Math.log10(max)));
      return new double[] {lo, hi == lo ? hi * 10 : hi};
    }
    return new double[] {0, Double.isNaN(this.max) ? niceCeiling(max * 1.1) : this.max};
  }

  /**
   * Rounds up to 1, 2, 2.5 or 5 times a power of ten.
   *
   * @param v a positive value
   * @return the nice ceiling
   */
  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /**
   * Formats an axis value compactly: 1.5k, 20k, 1.2M.
   *
   * @param v the value
   * @return the label
   */
  static String compact(double v) {
    if (v >= 1e6) {
      return trim(v / 1e6) + "M";
    }
    if (v >= 1e3) {
      return trim(v / 1e3) + "k";
    }
    return trim(v);
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  /**
   * Draws the panel into a box.
   *
   * @param g the graphics
   * @param x left
   * @param y top
   * @param w width
   * @param h height
   */
  void draw(Graphics2D g, int x, int y, int w, int h) {
    Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    g.setColor(Color.BLACK);
    g.setFont(titleFont);
    g.drawString(title, x + 10, y + 20);
    g.setFont(small);
    g.setColor(Color.DARK_GRAY);
    g.drawString(unit + (log ? " (log scale)" : ""), x + 10, y + 36);

    int legendRows = (series.size() + 1) / 2;
    int left = x + 60;
    int right = x + w - 15;
    int top = y + 50;
    int bottom = y + h - 38 - 16 * legendRows;
    double[] range = range();

    // Grid and y labels.
    FontMetrics fm = g.getFontMetrics();
    for (double tick : ticks(range)) {
      int ty = yOf(tick, range, top, bottom);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left, ty, right, ty);
      g.setColor(Color.DARK_GRAY);
      String label = compact(tick);
      g.drawString(label, left - 6 - fm.stringWidth(label), ty + 4);
    }
    g.setColor(Color.GRAY);
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);

    // Bars.
    int groupWidth = (right - left) / Math.max(1, groups.size());
    int barWidth = Math.max(2, (int) (groupWidth * 0.8 / Math.max(1, series.size())));
    for (int gi = 0; gi < groups.size(); gi++) {
      int gx = left + gi * groupWidth + (int) (groupWidth * 0.1);
      for (int si = 0; si < series.size(); si++) {
        double v = values[gi][si];
        if (Double.isNaN(v) || v <= 0) {
          continue;
        }
        int bx = gx + si * barWidth;
        int by = yOf(v, range, top, bottom);
        g.setColor(colors.get(si));
        g.fillRect(bx, by, barWidth - 1, bottom - by);
        if (notes != null && notes[gi][si] != null) {
          g.setColor(Color.BLACK);
          String n = notes[gi][si];
          g.drawString(n, bx + (barWidth - fm.stringWidth(n)) / 2, by - 3);
        }
      }
      g.setColor(Color.BLACK);
      String label = groups.get(gi);
      g.drawString(
          label, left + gi * groupWidth + (groupWidth - fm.stringWidth(label)) / 2, bottom + 15);
    }

    // Goal line.
    if (!Double.isNaN(goal) && goal > 0) {
      int gy = yOf(goal, range, top, bottom);
      Stroke before = g.getStroke();
      g.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      g.setColor(new Color(200, 0, 0));
      g.drawLine(left, gy, right, gy);
      g.setStroke(before);
      g.drawString(goalLabel, right - fm.stringWidth(goalLabel) - 2, gy - 4);
    }

    // Legend.
    int lx = left;
    int ly = bottom + 32;
    int column = (right - left) / 2;
    for (int si = 0; si < series.size(); si++) {
      int cx = lx + (si % 2) * column;
      int cy = ly + (si / 2) * 16;
      g.setColor(colors.get(si));
      g.fillRect(cx, cy - 9, 10, 10);
      g.setColor(Color.BLACK);
      g.drawString(series.get(si), cx + 14, cy);
    }
  }

  private List<Double> ticks(double[] range) {
    if (log) {
      java.util.ArrayList<Double> t = new java.util.ArrayList<>();
      for (double v = range[0]; v <= range[1] * 1.0001; v *= 10) {
        t.add(v);
      }
      return t;
    }
    double step = range[1] / 5;
    return List.of(0.0, step, 2 * step, 3 * step, 4 * step, range[1]);
  }

  private int yOf(double v, double[] range, int top, int bottom) {
    double f;
    if (log) {
      f = (Math.log10(v) - Math.log10(range[0])) / (Math.log10(range[1]) - Math.log10(range[0]));
    } else {
      f = (v - range[0]) / (range[1] - range[0]);
    }
    f = Math.max(0, Math.min(1, f));
    return bottom - (int) Math.round(f * (bottom - top));
  }
}
