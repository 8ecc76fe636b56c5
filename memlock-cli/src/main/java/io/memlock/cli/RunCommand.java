package io.memlock.cli;

import io.memlock.DistributedLock;
import io.memlock.LockBusyException;
import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.LockUnavailableException;
import io.memlock.MemLock;
import io.memlock.MemLockException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memlock run}: runs a command while holding a lock. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Runs a command while holding a lock.",
    sortOptions = false,
    customSynopsis = "memlock run [OPTIONS] NAME -- COMMAND [ARGS...]",
    description = {
      "Runs COMMAND while holding the lock NAME, then releases it.",
      "The lease is renewed while the command runs. The command gets MEMLOCK_NAME and"
          + " MEMLOCK_FENCE (the fencing token) in its environment; SIGHUP, SIGINT, SIGTERM,"
          + " SIGUSR1 and SIGUSR2 are passed on to it, and it gets SIGTERM (SIGKILL with"
          + " --on-lost kill) if memlock itself is killed.",
      "Exits with the command's status; 75 if the lock is busy, 76 if it was lost while the"
          + " command ran, 69 if memcached cannot be reached, 64 for bad usage."
    })
final class RunCommand implements Callable<Integer> {
  /** As long as memlock can wait: about 73 years. */
  static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

  private static final Duration LONGEST_KILL_AFTER = Duration.ofDays(1);

  /**
   * ENOENT as the JDK reports a failed exec: "error=2, No such file or directory" (JDK 17) or "Exec
   * failed, error: 2 (No such file or directory)" (JDK 25).
   */
  private static final Pattern NOT_FOUND = Pattern.compile("error(=|: )2\\b");

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--ttl",
      paramLabel = "DUR",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "Lease of the lock, renewed every third of it (default: ${DEFAULT-VALUE}; whole"
              + " seconds, at least 3s). If memlock dies, the lock frees itself within this time.")
  Duration ttl;

  @ArgGroup(exclusive = true)
  Waiting waiting = new Waiting();

  /** --wait DUR and --no-wait, which exclude each other. */
  static final class Waiting {
    @Option(
        names = "--wait",
        paramLabel = "DUR",
        converter = Durations.class,
        description = "Wait at most this long for the lock (default: wait as long as it takes).")
    Duration wait;

    @Option(names = "--no-wait", description = "Exit 75 at once if the lock is held.")
    boolean noWait;
  }

  @Option(
      names = "--on-lost",
      paramLabel = "ACTION",
      defaultValue = "term",
      converter = OnLost.Converter.class,
      description =
          "If the lock is lost while the command runs: term (SIGTERM, then SIGKILL after"
              + " --kill-after), kill (SIGKILL at once) or ignore (let it run). memlock exits"
              + " 76 in every case. Default: ${DEFAULT-VALUE}.")
  OnLost onLost;

  @Option(
      names = "--kill-after",
      paramLabel = "DUR",
      defaultValue = "10s",
      converter = Durations.class,
      description = "With --on-lost term: SIGKILL after this long (default: ${DEFAULT-VALUE}).")
  Duration killAfter;

  @Option(
      names = "--namespace",
      paramLabel = "PREFIX",
      defaultValue = "memlock",
      description = "Key prefix of the locks, as the applications use it (default: memlock).")
  String namespace;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "COMMAND",
      description = "The command and its arguments, after --.")
  List<String> command;

  @Override
  public Integer call() throws IOException {
    LockNames.check(name);
    if (command.get(0).isBlank()) {
      throw new UsageException("COMMAND is empty: give the command to run after --");
    }
    Clients.checkTtl(ttl);
    if (killAfter.compareTo(LONGEST_KILL_AFTER) > 0) {
      throw new UsageException("--kill-after must be at most 1 day, got " + killAfter);
    }
    PrintWriter err = spec.commandLine().getErr();
    SignalRelay relay = SignalRelay.install(Thread.currentThread());
    try (MemLock memlock = Clients.connect(common.servers(), namespace, ttl, cluster)) {
      // Fails at once when no server of the lock is connected, rather than waiting forever.
      memlock.inspect(name);
      LockHandle handle;
      try {
        handle = acquire(memlock.lock(name), err);
      } catch (InterruptedException e) {
        err.println("memlock: interrupted while waiting for lock '" + name + "'");
        return relay.pendingStatus() == 0 ? 130 : relay.pendingStatus();
      }
      return runLocked(handle, relay, err);
    }
  }

  private LockHandle acquire(DistributedLock lock, PrintWriter err) throws InterruptedException {
    if (waiting.noWait) {
      return lock.acquire(Duration.ZERO);
    }
    Duration wait = waiting.wait == null ? FOREVER : waiting.wait;
    if (!common.verbose) {
      return lock.acquire(wait);
    }
    // --verbose only says why it waits: a first attempt that fails for any reason the wait below
    // would wait out (held, or a server in its restart grace or away) is reported, not thrown.
    try {
      return lock.acquire(Duration.ZERO);
    } catch (LockBusyException | LockUnavailableException e) {
      err.println("memlock: " + Clients.flagNames(e.getMessage()) + "; waiting");
      err.flush();
    }
    return lock.acquire(wait);
  }

  private int runLocked(LockHandle handle, SignalRelay relay, PrintWriter err) {
    LockedCommand locked = new LockedCommand(command, onLost, killAfter, err);
    int status;
    if (relay.pendingStatus() != 0) {
      err.println("memlock: got a signal before the command started; not starting it");
      status = relay.pendingStatus();
    } else {
      status = startAndWait(locked, handle, relay, err);
    }
    boolean lostAtRelease = false;
    try {
      handle.close();
    } catch (LockLostException e) {
      lostAtRelease = true;
      if (!locked.wasLost()) {
        err.println(
            "memlock: lost lock '" + name + "' before the command ended: " + e.getMessage());
      }
    } catch (MemLockException e) {
      // The command's status matters more; the lock expires with its lease.
      err.println(
          "memlock: could not release lock '"
              + name
              + "' ("
              + e.getMessage()
              + "); it frees itself within "
              + Durations.format(ttl));
    }
    if (locked.wasLost() || lostAtRelease) {
      err.println(
          "memlock: exiting with 76 because the lock was lost while the command ran (it exited"
              + " with "
              + status
              + ")");
      return ExitCodes.LOST;
    }
    return status;
  }

  private int startAndWait(
      LockedCommand locked, LockHandle handle, SignalRelay relay, PrintWriter err) {
    Failure unrunnable = LockedCommand.unrunnable(command.get(0));
    if (unrunnable != null) {
      err.println("memlock: cannot run '" + command.get(0) + "': " + unrunnable.getMessage());
      return unrunnable.status();
    }
    Process process;
    try {
      process = locked.start(handle, relay);
    } catch (IOException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      err.println("memlock: cannot run '" + command.get(0) + "': " + why);
      return why != null && NOT_FOUND.matcher(why).find()
          ? ExitCodes.NOT_FOUND
          : ExitCodes.CANNOT_EXECUTE;
    }
    return locked.waitFor(process);
  }
}
