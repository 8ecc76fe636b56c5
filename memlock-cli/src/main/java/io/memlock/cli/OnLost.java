package io.memlock.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code memlock run} does to its command when the lock is lost while it runs. */
enum OnLost {
  /** SIGTERM, then SIGKILL to the command and its descendants after --kill-after. */
  TERM,
  /** SIGKILL to the command and its descendants at once. */
  KILL,
  /** Let it run; memlock still exits with 76. */
  IGNORE;

  /** Reads {@code term}, {@code kill} or {@code ignore}. */
  static final class Converter implements ITypeConverter<OnLost> {
    @Override
    public OnLost convert(String value) {
      try {
        return OnLost.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not one of term, kill, ignore");
      }
    }
  }
}
