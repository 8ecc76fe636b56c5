package io.memlock.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d}, sums
 * of them ({@code 1m30s}), or ISO-8601 ({@code PT30S}). A bare number is refused: its unit would be
 * a guess.
 */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(us|ms|s|m|h|d)");

  @Override
  public Duration convert(String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses a duration.
   *
   * @param text the duration as written
   * @return the duration
   * @throws IllegalArgumentException naming what is wrong
   */
  static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration: write e.g. 30s, 500ms, 2m, 1h or PT30S");
    }
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("'" + text + "' is negative: durations are 0 or more");
    }
    if (s.startsWith("p")) {
      try {
        return nonNegative(text, Duration.parse(s.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration like PT30S");
      }
    }
    if (s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "'" + text + "' has no unit: write e.g. " + s + "s, " + s + "ms or " + s + "m");
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration: write e.g. 30s, 500ms, 2m, 1h, 1m30s or PT30S");
      }
      total = total.plus(part(text, m.group(1), m.group(2)));
      at = m.end();
    }
    return total;
  }

  private static Duration part(String text, String number, String unit) {
    long n;
    try {
      n = Long.parseLong(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    try {
      return switch (unit) {
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
  }

  private static Duration nonNegative(String text, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative");
    }
    return d;
  }

  /**
   * Writes a duration the way this parser reads it, e.g. {@code 30s} or {@code 1500ms}.
   *
   * @param d the duration
   * @return its short form
   */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() % 1_000_000 != 0) {
      return d.toNanos() / 1000 + "us";
    }
    if (d.getNano() != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
