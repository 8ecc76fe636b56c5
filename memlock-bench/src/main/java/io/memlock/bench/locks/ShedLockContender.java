package io.memlock.bench.locks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.spy.memcached.AddrUtil;
import net.spy.memcached.MemcachedClient;

/**
 * ShedLock's memcached algorithm ({@link ShedLockMemcachedProvider}) on spymemcached with its
 * default connection factory. Each lock builds a {@link LockConfiguration} as ShedLock's executor
 * does (created now, {@code lockAtMostFor} 30 s, {@code lockAtLeastFor} 0), so unlock deletes the
 * key.
 *
 * <p>ShedLock has no blocking wait: it skips a task whose lock is busy. To take part in the
 * contended scenarios, a busy lock is retried here with the same backoff as memlock's waiters
 * ({@link Backoff}); that loop is this benchmark's, not ShedLock's.
 */
public final class ShedLockContender implements LockContender {
  static {
    // spymemcached logs to stderr by default; route it to SLF4J, which discards it here.
    System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SLF4JLogger");
  }

  private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(30);

  private final MemcachedClient client;
  private final ShedLockMemcachedProvider provider;
  private final String[] names;
  private final Backoff backoff;
  private final LongAdder polls = new LongAdder();
  private final AtomicReferenceArray<SimpleLock> held;

  /**
   * Connects to memcached (in the background; the first request waits for it).
   *
   * @param server memcached's {@code host:port}
   * @param names the lock names
   * @param backoff the wait between attempts on a busy lock
   */
  public ShedLockContender(String server, List<String> names, Backoff backoff) {
    try {
      client = new MemcachedClient(AddrUtil.getAddresses(server));
    } catch (IOException e) {
      throw new UncheckedIOException("spymemcached could not connect to " + server, e);
    }
    provider = new ShedLockMemcachedProvider(client, "default");
    this.names = names.toArray(new String[0]);
    this.backoff = backoff;
    held = new AtomicReferenceArray<>(this.names.length);
  }

  @Override
  public long lock(int i, long waitNanos) throws InterruptedException {
    long deadline = waitNanos == FOREVER ? 0 : System.nanoTime() + waitNanos;
    for (int attempt = 1; ; attempt++) {
      Optional<SimpleLock> lock =
          provider.lock(
              new LockConfiguration(
                  ClockProvider.now(), names[i], LOCK_AT_MOST_FOR, Duration.ZERO));
      if (lock.isPresent()) {
        held.set(i, lock.get());
        return 0;
      }
      polls.increment();
      if (waitNanos == FOREVER) {
        TimeUnit.NANOSECONDS.sleep(backoff.delayNanos(attempt));
      } else if (!backoff.pause(attempt, deadline)) {
        return NOT_ACQUIRED;
      }
    }
  }

  @Override
  public void unlock(int i) {
    SimpleLock lock = held.getAndSet(i, null);
    if (lock == null) {
      throw new IllegalStateException("ShedLock lock '" + names[i] + "' is not held");
    }
    lock.unlock();
  }

  @Override
  public long polls() {
    return polls.sum();
  }

  @Override
  public void close() {
    client.shutdown(5, TimeUnit.SECONDS);
  }
}
