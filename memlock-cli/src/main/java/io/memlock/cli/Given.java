package io.memlock.cli;

/**
 * A setting given as a command-line flag, else as an environment variable.
 *
 * @param text the value, or null when neither gives one (blank counts as none)
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
   */
  static Given of(String flag, String flagValue, String variable) {
    if (flagValue != null) {
      return new Given(flagValue.isBlank() ? null : flagValue, flag);
    }
    String env = System.getenv(variable);
    return new Given(env == null || env.isBlank() ? null : env, variable);
  }
}
