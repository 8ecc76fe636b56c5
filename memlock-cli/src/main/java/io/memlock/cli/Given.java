package io.memlock.cli;

/**
 * A setting given as a command-line flag, else as an environment variable. A flag or a variable
 * that is given but empty (or only blanks) is refused, not read as "not given": {@code --servers
 * "$UNSET"} must not quietly fall back to the default server.
 *
 * @param text the value, or null when neither gives one
 * @param from where it came from, for messages: the flag or the variable's name
 */
record Given(String text, String from) {
  /**
   * Reads a setting.
   *
   * @param flag the flag's name, e.g. {@code --servers}
   * @param flagValue the flag's value, or null when not given
   * @param variable the environment variable read when the flag is not given
   * @return the setting
   * @throws UsageException if the flag or the variable is given but blank
   */
  static Given of(String flag, String flagValue, String variable) {
    if (flagValue != null) {
      if (flagValue.isBlank()) {
        throw new UsageException(
            flag + " is empty: give a value, or leave the option out for the default");
      }
      return new Given(flagValue, flag);
    }
    String env = System.getenv(variable);
    if (env != null && env.isBlank()) {
      throw new UsageException(
          variable + " is set but empty: give it a value, or unset it for the default");
    }
    return new Given(env, variable);
  }
}
