package io.memlock;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link ForgottenClientTest}: {@code <servers> <name>} builds a client, holds
 * a lock through the {@code Lock} view (so the watchdog renews it) and another through an
 * asynchronous acquisition with a continuation (so callback threads ran), prints {@code holding
 * <fence>}, and returns from {@code main} without unlocking or closing anything.
 */
public final class ForgottenClientMain {
  private ForgottenClientMain() {}

  public static void main(String[] args) throws Exception {
    MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(args[0])
            .leaseTime(Duration.ofSeconds(15))
            .build();
    DistributedLock lock = memlock.lock(args[1]);
    lock.lock();
    CountDownLatch continued = new CountDownLatch(1);
    memlock
        .lock(args[1] + "-async")
        .acquireAsync(Duration.ofSeconds(30))
        .thenAccept(h -> continued.countDown());
    if (!continued.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the asynchronous acquisition did not complete");
    }
    System.out.println("holding " + lock.fencingToken());
  }
}
