package io.memlock.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of the commands that run a command under a lease, {@code run} and {@code elect}:
 * {@code --ttl}, {@code --on-lost}, {@code --kill-after}, {@code --namespace}, NAME and COMMAND.
 */
final class LeaseOptions {
  private static final Duration LONGEST_KILL_AFTER = Duration.ofDays(1);

  @Option(
      names = "--ttl",
      paramLabel = "DUR",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "Lease of the lock, renewed every third of it (default: ${DEFAULT-VALUE}; whole"
              + " seconds, at least 3s). If memlock dies, the lock frees itself within this time.")
  Duration ttl;

  @Option(
      names = "--on-lost",
      paramLabel = "ACTION",
      defaultValue = "term",
      converter = OnLost.Converter.class,
      description =
          "If the lock is lost while the command runs: term (SIGTERM, then SIGKILL after"
              + " --kill-after), kill (SIGKILL at once) or ignore (let it run; run only)."
              + " Default: ${DEFAULT-VALUE}.")
  OnLost onLost;

  @Option(
      names = "--kill-after",
      paramLabel = "DUR",
      defaultValue = "10s",
      converter = Durations.class,
      description = "With --on-lost term: SIGKILL after this long (default: ${DEFAULT-VALUE}).")
  Duration killAfter;

  @Mixin NamespaceOption namespace;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments, after --.")
  List<String> command;

  /**
   * Checks what picocli cannot: the name, a blank command, the lease and --kill-after.
   *
   * @throws UsageException naming what is wrong
   */
  void check() {
    LockNames.check(name);
    if (command.get(0).isBlank()) {
      throw new UsageException("COMMAND is empty: give the command to run after --");
    }
    Clients.checkTtl(ttl);
    if (killAfter.compareTo(LONGEST_KILL_AFTER) > 0) {
      throw new UsageException("--kill-after must be at most 1 day, got " + killAfter);
    }
  }

  /**
   * Returns a new run of the command, signalled as --on-lost says when its lease is lost.
   *
   * @param err where memlock's messages go
   * @return the command, not started yet
   */
  LockedCommand newRun(PrintWriter err) {
    return new LockedCommand(command, onLost, killAfter, err);
  }
}
