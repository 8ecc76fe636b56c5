package io.memlock.cli;

import io.memlock.HeldItem;
import io.memlock.LockInfo;
import io.memlock.LockWaiters;
import io.memlock.MemLock;
import io.memlock.MemLockException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memlock watch}: a lock's holder and waiters, again and again until interrupted. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Shows a lock's holder and waiters live.",
    description = {
      "Prints, every --interval, one line about the lock NAME: its holder (host/pid/thread),"
          + " fencing token and lease left, or that it is free; whether a client of another"
          + " process is polling for it; and the waiters queued for the fair lock of that name.",
      "Runs until interrupted: SIGINT (Ctrl-C) or SIGTERM end it with 130 or 143, the shell's"
          + " statuses for them. A server that cannot be reached is reported on the line and"
          + " asked again at the next refresh. 64 for bad usage."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Mixin NamespaceOption namespace;

  @Option(
      names = "--interval",
      paramLabel = "DUR",
      defaultValue = "1s",
      converter = Durations.class,
      description = "Time between two refreshes (default: ${DEFAULT-VALUE}, at least 100ms).")
  Duration interval;

  @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Override
  public Integer call() {
    LockNames.check(name);
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new UsageException(
          "--interval " + Durations.format(interval) + " is shorter than 100ms");
    }
    PrintWriter out = spec.commandLine().getOut();
    SignalRelay signals = SignalRelay.install(Thread.currentThread());
    try (MemLock memlock =
        Clients.connect(common.servers(), namespace.get(), cluster.maxLease(), cluster)) {
      while (true) {
        String line = line(memlock);
        if (signals.pendingStatus() != 0) {
          break; // the signal may have cut this refresh short: do not print it
        }
        out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
        out.flush();
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          break;
        }
      }
      // Closing waits for the client's threads: not with this thread's interrupt still set.
      Thread.interrupted();
    }
    int status = signals.pendingStatus();
    // Interrupted without a signal of ours: as for SIGINT.
    return status == 0 ? 130 : status;
  }

  private String line(MemLock memlock) {
    String shown = ItemText.printable(name);
    try {
      Optional<LockInfo> info = memlock.inspect(name);
      LockWaiters waiters = memlock.waiters(name);
      StringBuilder sb = new StringBuilder(shown).append(": ");
      sb.append(info.map(i -> "held by " + LockText.holder(i)).orElse("free"));
      sb.append("; waiters: ");
      if (!waiters.polling() && waiters.queue().isEmpty()) {
        return sb.append("none").toString();
      }
      if (waiters.polling()) {
        sb.append("another process is polling");
      }
      if (!waiters.queue().isEmpty()) {
        sb.append(waiters.polling() ? ", " : "").append(waiters.queue().size()).append(" queued (");
        for (int i = 0; i < waiters.queue().size(); i++) {
          HeldItem t = waiters.queue().get(i);
          sb.append(i == 0 ? "" : ", ")
              .append("ticket ")
              .append(t.slot())
              .append(' ')
              .append(ItemText.printable(t.holder()));
        }
        sb.append(')');
      }
      return sb.toString();
    } catch (MemLockException e) {
      return shown + ": cannot be read: " + Clients.flagNames(e.getMessage());
    }
  }
}
