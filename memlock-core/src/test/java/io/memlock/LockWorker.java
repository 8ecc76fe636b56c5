package io.memlock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A child process for the multi-process tests.
 *
 * <p>{@code count <servers> <name> <iterations> <counterFile> <fenceLog>}: increments a counter in
 * a file under the lock, logging each holding's fence. {@code hold <servers> <name>
 * <leaseSeconds>}: takes the lock, prints {@code locked <fence>} and blocks until killed.
 */
public final class LockWorker {
  private LockWorker() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "count" ->
          count(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]), Path.of(args[5]));
      case "hold" -> hold(args[1], args[2], Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void count(String servers, String name, int iterations, Path counter, Path log)
      throws Exception {
    try (MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(servers)
            .leaseTime(Duration.ofSeconds(10))
            .build()) {
      DistributedLock lock = memlock.lock(name);
      System.out.println("ready");
      for (int i = 0; i < iterations; i++) {
        lock.lock();
        try {
          int value = Integer.parseInt(Files.readString(counter).trim());
          Files.writeString(counter, Integer.toString(value + 1));
          Files.writeString(
              log,
              lock.fencingToken() + "\n",
              StandardCharsets.US_ASCII,
              StandardOpenOption.APPEND);
        } finally {
          lock.unlock();
        }
      }
      System.out.println("done");
    }
  }

  private static void hold(String servers, String name, int leaseSeconds) throws Exception {
    MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(servers)
            .leaseTime(Duration.ofSeconds(leaseSeconds))
            .build();
    LockHandle h = memlock.lock(name).acquire(Duration.ofSeconds(30));
    System.out.println("locked " + h.fencingToken());
    Thread.currentThread().join();
  }
}
