package io.memlock.cli;

import picocli.CommandLine.Option;

/** {@code --namespace}: the key prefix of the locks, for the commands that name locks. */
final class NamespaceOption {
  @Option(
      names = "--namespace",
      paramLabel = "PREFIX",
      defaultValue = "memlock",
      description = "Key prefix of the locks, as the applications use it (default: memlock).")
  String namespace;

  /**
   * Returns the prefix given, or {@code memlock}.
   *
   * @return the prefix
   */
  String get() {
    return namespace;
  }
}
