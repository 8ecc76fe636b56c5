package io.memlock.cli;

import io.memlock.DistributedLock;
import io.memlock.LockBusyException;
import io.memlock.LockHandle;
import io.memlock.LockLostException;
import io.memlock.LockUnavailableException;
import io.memlock.MemLock;
import io.memlock.MemLockException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Mixin LeaseOptions lease;

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

  @Override
  public Integer call() {
    lease.check();
    PrintWriter err = spec.commandLine().getErr();
    SignalRelay relay = SignalRelay.install(Thread.currentThread());
    try (MemLock memlock =
        Clients.connect(common.servers(), lease.namespace.get(), lease.ttl, cluster)) {
      // Fails at once when no server of the lock is connected, rather than waiting forever.
      memlock.inspect(lease.name);
      LockHandle handle;
      try {
        handle = acquire(memlock.lock(lease.name), err);
      } catch (InterruptedException e) {
        err.println("memlock: interrupted while waiting for lock '" + lease.name + "'");
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
    LockedCommand locked = lease.newRun(err);
    int status;
    if (relay.pendingStatus() != 0) {
      err.println("memlock: got a signal before the command started; not starting it");
      status = relay.pendingStatus();
    } else {
      status =
          locked.run(
              handle.name(),
              handle.fencingToken(),
              Map.of(),
              relay,
              process -> handle.onLost((h, e) -> locked.lost(process, e.getMessage())));
    }
    boolean lostAtRelease = false;
    try {
      handle.close();
    } catch (LockLostException e) {
      lostAtRelease = true;
      if (!locked.wasLost()) {
        err.println(
            "memlock: lost lock '" + lease.name + "' before the command ended: " + e.getMessage());
      }
    } catch (MemLockException e) {
      // The command's status matters more; the lock expires with its lease.
      err.println(
          "memlock: could not release lock '"
              + lease.name
              + "' ("
              + e.getMessage()
              + "); it frees itself within "
              + Durations.format(lease.ttl));
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
}
