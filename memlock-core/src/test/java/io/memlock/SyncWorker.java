package io.memlock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process for the synchronizer tests. Every mode takes the servers and a name first.
 *
 * <ul>
 *   <li>{@code semaphore <servers> <name> <permits> <threads> <iterations> <countersFile>}: threads
 *       take permits and count holders inside in counters file slots 0 (inside) and 1 (max).
 *   <li>{@code rw <servers> <name> <threads> <iterations> <countersFile>}: threads read or write;
 *       slots 0 (readers inside), 1 (writers inside), 2 (violations), 3 (writes).
 *   <li>{@code permit <servers> <name> <permits> <leaseSeconds>}: holds a permit until killed.
 *   <li>{@code read|write <servers> <name> <leaseSeconds>}: holds the read or write lock until
 *       killed.
 *   <li>{@code fair <servers> <name> <id> <leaseSeconds> <orderFile>}: takes the fair lock, appends
 *       its id to the order file, releases, exits.
 *   <li>{@code fair-hold <servers> <name> <leaseSeconds>}: takes the fair lock and holds it until
 *       killed.
 * </ul>
 */
public final class SyncWorker {
  private SyncWorker() {}

  public static void main(String[] args) throws Exception {
    String servers = args[1];
    String name = args[2];
    switch (args[0]) {
      case "semaphore" ->
          semaphore(
              servers,
              name,
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Integer.parseInt(args[5]),
              Path.of(args[6]));
      case "rw" ->
          readWrite(
              servers,
              name,
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Path.of(args[5]));
      case "permit" -> {
        MemLock m = client(servers, Integer.parseInt(args[4]));
        LockHandle h = m.semaphore(name, Integer.parseInt(args[3])).acquire(Duration.ofSeconds(30));
        System.out.println("held " + h.name());
        Thread.currentThread().join();
      }
      case "read", "write" -> {
        MemLock m = client(servers, Integer.parseInt(args[3]));
        DistributedReadWriteLock rw = m.readWriteLock(name);
        DistributedLock l = args[0].equals("read") ? rw.readLock() : rw.writeLock();
        l.acquire(Duration.ofSeconds(30));
        System.out.println("holding " + args[0]);
        Thread.currentThread().join();
      }
      case "fair" -> {
        try (MemLock m = client(servers, Integer.parseInt(args[4]))) {
          DistributedLock l = m.fairLock(name);
          System.out.println("queueing");
          l.lock();
          try {
            Files.writeString(
                Path.of(args[5]),
                args[3] + "\n",
                StandardCharsets.US_ASCII,
                StandardOpenOption.APPEND);
          } finally {
            l.unlock();
          }
          System.out.println("done");
        }
      }
      case "fair-hold" -> {
        MemLock m = client(servers, Integer.parseInt(args[3]));
        System.out.println("queueing");
        m.fairLock(name).lock();
        System.out.println("holding");
        Thread.currentThread().join();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static MemLock client(String servers, int leaseSeconds) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(servers)
        .leaseTime(Duration.ofSeconds(leaseSeconds))
        .build();
  }

  private static void semaphore(
      String servers, String name, int permits, int threads, int iterations, Path file)
      throws Exception {
    SharedCounters counters = new SharedCounters(file, 2);
    try (MemLock m = client(servers, 10)) {
      DistributedSemaphore s = m.semaphore(name, permits);
      run(
          threads,
          () -> {
            for (int i = 0; i < iterations; i++) {
              try (LockHandle permit = s.acquire(Duration.ofSeconds(60))) {
                counters.update(v -> v[1] = Math.max(v[1], ++v[0]));
                pause(2);
                counters.update(v -> v[0]--);
                if (!permit.isHeld()) {
                  throw new AssertionError("permit lost: " + permit);
                }
              }
            }
          });
    }
    System.out.println("done");
  }

  private static void readWrite(String servers, String name, int threads, int iterations, Path file)
      throws Exception {
    SharedCounters c = new SharedCounters(file, 4);
    try (MemLock m = client(servers, 10)) {
      DistributedReadWriteLock rw = m.readWriteLock(name);
      run(
          threads,
          () -> {
            for (int i = 0; i < iterations; i++) {
              boolean write = ThreadLocalRandom.current().nextInt(4) == 0;
              DistributedLock l = write ? rw.writeLock() : rw.readLock();
              l.lock();
              try {
                if (write) {
                  c.update(
                      v -> {
                        v[1]++;
                        v[3]++;
                        if (v[0] != 0 || v[1] != 1) {
                          v[2]++;
                        }
                      });
                  pause(2);
                  c.update(v -> v[1]--);
                } else {
                  c.update(
                      v -> {
                        v[0]++;
                        if (v[1] != 0) {
                          v[2]++;
                        }
                      });
                  pause(2);
                  c.update(v -> v[0]--);
                }
              } finally {
                l.unlock();
              }
            }
          });
    }
    System.out.println("done");
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} on {@code threads} threads and rethrows the first failure. */
  static void run(int threads, Body body) throws Exception {
    List<Thread> all = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  body.run();
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      th.start();
      all.add(th);
    }
    for (Thread th : all) {
      th.join();
    }
    if (!failures.isEmpty()) {
      Exception e = new Exception("worker thread failed", failures.get(0));
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  /** Stays inside a hold for a while: the work being protected, not a synchronization. */
  static void pause(long millis) {
    LockSupport.parkNanos(millis * 1_000_000L);
  }
}
