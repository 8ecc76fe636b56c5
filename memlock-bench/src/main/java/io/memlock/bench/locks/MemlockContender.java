package io.memlock.bench.locks;

import io.memlock.DistributedLock;
import io.memlock.MemLock;
import io.memlock.MemLockListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * memlock's {@link DistributedLock} as a {@code java.util.concurrent.locks.Lock}: {@code lock()}
 * (or {@code tryLock(wait)} for a bounded wait), {@code fencingToken()}, {@code unlock()}. One
 * {@link MemLock} client shared by all threads, one {@code DistributedLock} view per name made up
 * front.
 */
public final class MemlockContender implements LockContender {
  private final MemLock client;
  private final DistributedLock[] locks;
  private volatile LongAdder polls;

  /**
   * Connects to memcached.
   *
   * @param server memcached's {@code host:port}
   * @param names the lock names
   * @param lease the lease time, or null for memlock's default (30 s)
   * @param retryMin the first retry delay, or null for the default (1 ms)
   * @param retryMax the retry delay cap, or null for the default (32 ms)
   * @param cohortHandoffs local hand-offs in a row (memlock's default is 64; 0 turns them off)
   */
  public MemlockContender(
      String server,
      List<String> names,
      Duration lease,
      Duration retryMin,
      Duration retryMax,
      int cohortHandoffs) {
    this(server, names, lease, retryMin, retryMax, cohortHandoffs, 1);
  }

  /**
   * Connects to memcached, in quorum mode when {@code replicas > 1}.
   *
   * @param servers memcached's {@code host:port}, several separated by commas
   * @param names the lock names
   * @param lease the lease time, or null for memlock's default (30 s)
   * @param retryMin the first retry delay, or null for the default (1 ms)
   * @param retryMax the retry delay cap, or null for the default (32 ms)
   * @param cohortHandoffs local hand-offs in a row (memlock's default is 64; 0 turns them off)
   * @param replicas the replicas of each lock (1: single-server mode)
   */
  public MemlockContender(
      String servers,
      List<String> names,
      Duration lease,
      Duration retryMin,
      Duration retryMax,
      int cohortHandoffs,
      int replicas) {
    MemLock.Builder builder =
        MemLock.builder()
            .servers(servers)
            .replicas(replicas)
            // The harness starts this memcached for itself: no lock can predate its start.
            .restartGrace(false)
            .connectTimeout(Duration.ofSeconds(5))
            .cohortHandoffs(cohortHandoffs);
    if (lease != null) {
      builder.leaseTime(lease);
    }
    if (retryMin != null) {
      builder.retryDelay(retryMin, retryMax);
    }
    client = builder.build();
    locks = new DistributedLock[names.size()];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = client.lock(names.get(i));
    }
  }

  /**
   * Counts the polls of this client's waiters from now on (a statistics listener hearing {@link
   * MemLockListener#lockPolled}), when {@code count} is true.
   *
   * @param count whether to count
   * @return this contender
   */
  public MemlockContender countingPolls(boolean count) {
    if (count && polls == null) {
      LongAdder n = new LongAdder();
      polls = n;
      client.addListener(
          new MemLockListener() {
            @Override
            public void lockPolled(String name) {
              n.increment();
            }
          });
    }
    return this;
  }

  @Override
  public long polls() {
    LongAdder n = polls;
    return n == null ? -1 : n.sum();
  }

  /**
   * Returns the client, for scenarios that use its handles.
   *
   * @return the client
   */
  public MemLock client() {
    return client;
  }

  @Override
  public long lock(int i, long waitNanos) throws InterruptedException {
    DistributedLock lock = locks[i];
    if (waitNanos == FOREVER) {
      lock.lock();
    } else if (!lock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
      return NOT_ACQUIRED;
    }
    return lock.fencingToken();
  }

  @Override
  public void unlock(int i) {
    locks[i].unlock();
  }

  @Override
  public void close() {
    client.close();
  }
}
