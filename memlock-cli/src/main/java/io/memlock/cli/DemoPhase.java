package io.memlock.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one phase of the demo: fills the stock, starts the workers together, tallies them. */
final class DemoPhase {
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long RUN_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);

  private DemoPhase() {}

  /**
   * Runs a phase.
   *
   * @param label the phase's name for progress
   * @param lockName the lock the workers take, or null for none
   * @param settings the demo's settings
   * @param stock the stock count in memcached
   * @param progress where progress goes
   * @return the outcome
   * @throws Failure if a worker fails
   */
  static PhaseResult run(
      String label, String lockName, DemoSettings settings, StockItem stock, Progress progress)
      throws IOException, InterruptedException {
    stock.write(settings.stock());
    PhaseTally tally = new PhaseTally();
    int n = settings.workers();
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch done = new CountDownLatch(n);
    List<WorkerProcess> workers = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int orders = settings.orders() / n + (i < settings.orders() % n ? 1 : 0);
        List<String> args =
            List.of(
                settings.servers(),
                DemoCommand.STOCK_KEY,
                lockName == null ? "-" : lockName,
                Integer.toString(orders),
                Long.toString(settings.think().toNanos()),
                settings.privateServer() ? "private" : "shared");
        workers.add(WorkerProcess.start(args, tally, ready, done));
      }
      progress.say(label + ": starting " + n + " worker JVMs");
      if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new Failure(ExitCodes.INTERNAL, "demo workers did not start within 60 s");
      }
      checkFailures(workers);
      long t0 = System.nanoTime();
      for (WorkerProcess w : workers) {
        w.go();
      }
      while (!done.await(100, TimeUnit.MILLISECONDS)) {
        progress.update(label, tally.orders(), settings.orders());
        if (System.nanoTime() - t0 > RUN_TIMEOUT_NANOS) {
          throw new Failure(ExitCodes.INTERNAL, "demo workers did not finish within 5 minutes");
        }
      }
      long elapsed = System.nanoTime() - t0;
      checkFailures(workers);
      progress.finish(label, tally.orders(), elapsed / 1e9);
      return new PhaseResult(lockName != null, settings.stock(), tally, stock.read(), elapsed);
    } finally {
      workers.forEach(WorkerProcess::stop);
    }
  }

  private static void checkFailures(List<WorkerProcess> workers) {
    for (WorkerProcess w : workers) {
      if (w.failure() != null) {
        throw new Failure(ExitCodes.INTERNAL, "a demo worker failed: " + w.failure());
      }
    }
  }
}
