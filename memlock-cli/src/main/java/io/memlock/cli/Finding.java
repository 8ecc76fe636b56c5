package io.memlock.cli;

/**
 * One line of {@code memlock doctor}'s report on a server.
 *
 * @param level how it bears on the verdict
 * @param label what was checked, e.g. {@code uptime}
 * @param value what was found, e.g. {@code 42 s}
 * @param remark what it means
 */
record Finding(Finding.Level level, String label, String value, String remark) {
  /** How a finding bears on the verdict. */
  enum Level {
    /** Fine. */
    OK,
    /** Worth knowing; does not change the verdict. */
    NOTE,
    /** Locks work but are less safe: verdict WARN, exit 1. */
    WARN,
    /** memlock cannot work with this server: verdict FAIL, exit 69. */
    FAIL
  }

  static Finding ok(String label, String value, String remark) {
    return new Finding(Level.OK, label, value, remark);
  }

  static Finding note(String label, String value, String remark) {
    return new Finding(Level.NOTE, label, value, remark);
  }

  static Finding warn(String label, String value, String remark) {
    return new Finding(Level.WARN, label, value, remark);
  }

  static Finding fail(String label, String value, String remark) {
    return new Finding(Level.FAIL, label, value, remark);
  }
}
