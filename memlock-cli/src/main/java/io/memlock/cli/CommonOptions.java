package io.memlock.cli;

import io.memlock.transport.ServerAddress;
import picocli.CommandLine.Option;

/** The options every command has: {@code --servers} and {@code --verbose}. */
final class CommonOptions {
  /** The server list used when neither --servers nor MEMLOCK_SERVERS is given. */
  static final String DEFAULT_SERVERS = "127.0.0.1:11211";

  @Option(
      names = "--servers",
      paramLabel = "LIST",
      description =
          "memcached servers, comma-separated host:port"
              + " (default: $MEMLOCK_SERVERS, else "
              + DEFAULT_SERVERS
              + ")")
  String servers;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /**
   * Returns the server list: --servers, else $MEMLOCK_SERVERS, else the default.
   *
   * @throws UsageException if the list is malformed
   */
  String servers() {
    Given given = Given.of("--servers", servers, "MEMLOCK_SERVERS");
    if (given.text() == null) {
      return DEFAULT_SERVERS;
    }
    try {
      ServerAddress.parseList(given.text());
    } catch (IllegalArgumentException e) {
      throw new UsageException(given.from() + ": " + e.getMessage());
    }
    return given.text();
  }
}
