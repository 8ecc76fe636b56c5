package io.memlock.cli;

import io.memlock.HeldItem;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Held items as a table and as JSON, for {@code memlock list} and {@code memlock watch}. */
final class ItemText {
  private ItemText() {}

  /** The kind in a word, with its slot: {@code lock}, {@code read 3}, {@code ticket 17}. */
  static String kind(HeldItem item) {
    return switch (item.kind()) {
      case LOCK -> "lock";
      case WRITE -> "write";
      case READ -> "read " + item.slot();
      case PERMIT -> "permit " + item.slot();
      case FAIR_QUEUE_TICKET -> "ticket " + item.slot();
    };
  }

  /** The name, with control characters escaped so that a table stays a table. */
  static String name(HeldItem item) {
    String name = printable(item.name());
    return item.nameHashed() ? name + " (SHA-256 of a long name)" : name;
  }

  static String fence(HeldItem item) {
    return item.fencingToken().isPresent() ? Long.toString(item.fencingToken().getAsLong()) : "-";
  }

  static String lease(Duration left) {
    return isForever(left) ? "never ends" : left.getSeconds() + " s";
  }

  private static boolean isForever(Duration left) {
    return left.getSeconds() > 100L * 365 * 24 * 3600;
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Formats the items as aligned columns under a header. */
  static String table(List<HeldItem> items) {
    String[] header = {"NAME", "KIND", "HOLDER", "FENCE", "LEASE LEFT", "SERVERS"};
    String[][] rows = new String[items.size()][];
    int[] width = new int[header.length];
    for (int c = 0; c < header.length; c++) {
      width[c] = header[c].length();
    }
    for (int r = 0; r < items.size(); r++) {
      HeldItem i = items.get(r);
      rows[r] =
          new String[] {
            name(i),
            kind(i),
            printable(i.holder()),
            fence(i),
            lease(i.leaseLeft()),
            String.join(",", i.servers())
          };
      for (int c = 0; c < header.length; c++) {
        width[c] = Math.max(width[c], rows[r][c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    row(sb, header, width);
    for (String[] row : rows) {
      row(sb, row, width);
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String[] cells, int[] width) {
    for (int c = 0; c < cells.length; c++) {
      sb.append(cells[c]);
      if (c < cells.length - 1) {
        sb.append(" ".repeat(width[c] - cells[c].length() + 2));
      }
    }
    sb.append('\n');
  }

  /** One item as a JSON object. */
  static String json(HeldItem i) {
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"name\":").append(quote(i.name()));
    sb.append(",\"nameHashed\":").append(i.nameHashed());
    sb.append(",\"kind\":").append(quote(i.kind().name().toLowerCase(Locale.ROOT)));
    sb.append(",\"slot\":").append(i.slot() < 0 ? "null" : Long.toString(i.slot()));
    sb.append(",\"holder\":").append(quote(i.holder()));
    sb.append(",\"fencingToken\":")
        .append(
            i.fencingToken().isPresent() ? Long.toString(i.fencingToken().getAsLong()) : "null");
    sb.append(",\"leaseLeftSeconds\":")
        .append(isForever(i.leaseLeft()) ? "null" : Long.toString(i.leaseLeft().getSeconds()));
    sb.append(",\"servers\":[");
    for (int s = 0; s < i.servers().size(); s++) {
      sb.append(s == 0 ? "" : ",").append(quote(i.servers().get(s)));
    }
    return sb.append("]}").toString();
  }

  /** The listing as one JSON document: {@code {"items":[...],"unlisted":{"host:port":"why"}}}. */
  static String json(List<HeldItem> items, Map<String, String> unlisted) {
    StringBuilder sb = new StringBuilder("{\"items\":[");
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "\n  " : ",\n  ").append(json(items.get(i)));
    }
    sb.append(items.isEmpty() ? "]" : "\n]").append(",\"unlisted\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(unlisted).entrySet()) {
      sb.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
      first = false;
    }
    return sb.append("}}").toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
