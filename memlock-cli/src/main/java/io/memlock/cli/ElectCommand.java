package io.memlock.cli;

import io.memlock.LeaderElection;
import io.memlock.LeadershipListener;
import io.memlock.MemLock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memlock elect}: runs a command only while this process leads an election. */
@Command(
    name = "elect",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Runs a command only while leader of an election.",
    sortOptions = false,
    customSynopsis = "memlock elect [OPTIONS] NAME -- COMMAND [ARGS...]",
    description = {
      "Joins the leader election NAME and runs COMMAND while this process is leader. When the"
          + " leadership is lost, the command is stopped as --on-lost says and memlock queues"
          + " again, restarting the command when it leads again (with --once it exits 76"
          + " instead).",
      "The command gets MEMLOCK_NAME, MEMLOCK_TERM and MEMLOCK_FENCE (both the term: the"
          + " leadership's fencing token) in its environment; SIGHUP, SIGINT, SIGTERM, SIGUSR1"
          + " and SIGUSR2 are passed on to it while it runs, and end the wait while it does not.",
      "When the command exits on its own, memlock steps down and exits with its status; 76"
          + " when leadership was lost with --once, 69 if memcached cannot be reached, 64 for"
          + " bad usage."
    })
final class ElectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Mixin ClusterOptions cluster;

  @Mixin LeaseOptions lease;

  @Option(
      names = "--once",
      description = "Exit 76 when leadership is lost, instead of queueing again.")
  boolean once;

  @Override
  public Integer call() {
    requireDashDash();
    lease.check();
    if (lease.onLost == OnLost.IGNORE) {
      throw new UsageException(
          "--on-lost ignore does not go with elect: the command runs only while leader (use"
              + " term or kill)");
    }
    PrintWriter err = spec.commandLine().getErr();
    Failure unrunnable = LockedCommand.unrunnable(lease.command.get(0));
    if (unrunnable != null) {
      throw new Failure(
          unrunnable.status(),
          "cannot run '" + lease.command.get(0) + "': " + unrunnable.getMessage());
    }
    SignalRelay relay = SignalRelay.install(Thread.currentThread());
    try (MemLock memlock =
            Clients.connect(common.servers(), lease.namespace.get(), lease.ttl, cluster);
        LeaderElection election = memlock.leaderElection(lease.name)) {
      // Fails at once when no server of the election is connected, rather than waiting forever.
      memlock.inspect(lease.name);
      Terms terms = new Terms();
      election.addListener(terms);
      election.start();
      err.println(
          "memlock: joined the election '"
              + lease.name
              + "' as "
              + election.participantId()
              + "; waiting to lead");
      err.flush();
      return lead(election, terms, relay, err);
    }
  }

  /** picocli takes a command without {@code --}; elect does not, so that its flags stay its own. */
  private void requireDashDash() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    int dashes = args.indexOf("--");
    if (dashes < 0 || !args.subList(dashes + 1, args.size()).equals(lease.command)) {
      throw new UsageException(
          "put -- between NAME and COMMAND: memlock elect [OPTIONS] NAME -- COMMAND [ARGS...]");
    }
  }

  /** Runs the command in each term this participant leads, until it ends on its own. */
  private int lead(LeaderElection election, Terms terms, SignalRelay relay, PrintWriter err) {
    String name = lease.name;
    while (true) {
      long term;
      try {
        term = awaitTerm(election);
      } catch (InterruptedException e) {
        err.println("memlock: got a signal while waiting to lead '" + name + "'; leaving");
        return relay.pendingStatus() == 0 ? 130 : relay.pendingStatus();
      }
      if (relay.pendingStatus() != 0) {
        err.println("memlock: got a signal before the command started; stepping down");
        return relay.pendingStatus();
      }
      err.println("memlock: leader of '" + name + "' (term " + term + "); starting the command");
      err.flush();
      LockedCommand run = lease.newRun(err);
      int status =
          run.run(
              name,
              term,
              Map.of("MEMLOCK_TERM", Long.toString(term)),
              relay,
              process -> terms.running(run, process, term, election));
      terms.ended();
      if (!run.wasLost()) {
        err.println(
            "memlock: the command exited with "
                + status
                + "; stepping down as leader of '"
                + name
                + "'");
        return status;
      }
      if (once) {
        err.println(
            "memlock: exiting with 76 because leadership of '"
                + name
                + "' was lost while the command ran (--once; it exited with "
                + status
                + ")");
        return ExitCodes.LOST;
      }
      if (relay.pendingStatus() != 0) {
        return relay.pendingStatus();
      }
      err.println(
          "memlock: the command exited with "
              + status
              + " after leadership was lost; queueing for '"
              + name
              + "' again");
      err.flush();
    }
  }

  /** Waits until leader, and returns the term. */
  private static long awaitTerm(LeaderElection election) throws InterruptedException {
    while (true) {
      if (election.awaitLeadership(Duration.ofDays(1))) {
        long term = election.term();
        if (term >= 0) {
          return term;
        }
      }
    }
  }

  /**
   * Hears the election's events and stops the running command when the leadership it runs in is
   * revoked. Events arrive in order (granted, revoked, ...), so a revocation is of the term last
   * granted; the command of a newer term (the main thread may see a new term before its grant is
   * told) is left alone.
   */
  private final class Terms implements LeadershipListener {
    // Guarded by this.
    private long granted = -1;
    private LockedCommand run;
    private Process process;
    private long runningTerm = -1;

    @Override
    public synchronized void granted(long term) {
      granted = term;
    }

    @Override
    public synchronized void revoked() {
      if (run != null && runningTerm == granted) {
        stop();
      }
      granted = -1;
    }

    /** The command of {@code term} started; stops it at once if that term is already over. */
    void running(LockedCommand run, Process process, long term, LeaderElection election) {
      synchronized (this) {
        this.run = run;
        this.process = process;
        this.runningTerm = term;
      }
      if (election.term() != term) {
        synchronized (this) {
          stop();
        }
      }
    }

    synchronized void ended() {
      run = null;
      process = null;
      runningTerm = -1;
    }

    private void stop() {
      run.lost(process, "lost the leadership of '" + lease.name + "' (term " + runningTerm + ")");
    }
  }
}
