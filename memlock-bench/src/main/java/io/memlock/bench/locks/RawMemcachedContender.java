package io.memlock.bench.locks;

import io.memlock.protocol.Key;
import io.memlock.protocol.MetaArithmetic;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The physical limit of a lock in memcached: on memlock's own transport, {@code ms <key> 1 ME T30
 * c} (add a 1-byte item, return its CAS) to lock and {@code md <key> C<cas>} to unlock, each waited
 * for with {@code join()}. Two round trips per lock and unlock, no fencing token, no holder
 * description, no lease bookkeeping, no watchdog. A busy lock is polled with {@link Backoff}.
 *
 * <p>Keys are {@code raw:<name>}, encoded once, up front.
 *
 * <p>With {@code memlockCommands}, a diagnostic variant sends exactly the commands memlock's lock
 * path sends, on the same transport, without anything else memlock does: to lock, in one write,
 * {@code ms <lock> <90> ME T30 c} (a value the size of memlock's), {@code ma <fence> N0 J<µs> v}
 * and {@code mg <lock> c t v}; to unlock, in one write, a quiet {@code mg <waiters> q} and {@code
 * md <lock> C<cas>} (whose reply ends the batch). The gap between this variant and memlock is what
 * memlock's client-side machinery costs; the gap between it and the plain raw limit is what the
 * extra commands cost.
 */
public final class RawMemcachedContender implements LockContender {
  private static final byte[] ONE = {'1'};
  private static final long TTL_SECONDS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final MemcachedTransport transport;
  private final NodeClient node;
  private final Key[] keys;
  private final Backoff backoff;
  private final LongAdder polls = new LongAdder();

  /** The CAS of each name's item while this client holds it. */
  private final AtomicLongArray cas;

  private final boolean memlockCommands;
  private final Key[] fenceKeys;
  private final Key[] waiterKeys;
  private final byte[] value;

  /**
   * Connects to memcached and waits until the connection is up.
   *
   * @param server memcached's {@code host:port}
   * @param names the lock names
   * @param backoff the wait between attempts on a busy lock
   * @param memlockCommands true to send memlock's commands (see the class description)
   */
  public RawMemcachedContender(
      String server, List<String> names, Backoff backoff, boolean memlockCommands) {
    this.backoff = backoff;
    this.memlockCommands = memlockCommands;
    String prefix = memlockCommands ? "rawm:" : "raw:";
    keys = new Key[names.size()];
    fenceKeys = new Key[names.size()];
    waiterKeys = new Key[names.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Key.of(prefix + "L:" + names.get(i));
      fenceKeys[i] = Key.of(prefix + "F:" + names.get(i));
      waiterKeys[i] = Key.of(prefix + "W:" + names.get(i));
    }
    value = memlockCommands ? new byte[90] : ONE;
    Arrays.fill(value, (byte) 'x');
    cas = new AtomicLongArray(keys.length);
    transport =
        MemcachedTransport.create(
            TransportConfig.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5))
                .build());
    try {
      node = transport.connect(ServerAddress.parse(server));
      if (!node.awaitConnected(Duration.ofSeconds(10))) {
        throw new IllegalStateException(
            "could not connect to " + server + ": " + node.lastFailure());
      }
    } catch (InterruptedException e) {
      transport.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  @Override
  public long lock(int i, long waitNanos) throws InterruptedException {
    long deadline = waitNanos == FOREVER ? 0 : System.nanoTime() + waitNanos;
    for (int attempt = 1; ; attempt++) {
      MetaResponse r = memlockCommands ? addFenceCheck(i) : add(i);
      if (r.status() == MetaStatus.HD) {
        cas.set(i, r.cas());
        return 0;
      }
      if (r.status() != MetaStatus.NS) {
        throw new IllegalStateException("add of " + keys[i] + " answered " + r);
      }
      polls.increment();
      if (waitNanos == FOREVER) {
        TimeUnit.NANOSECONDS.sleep(backoff.delayNanos(attempt));
      } else if (!backoff.pause(attempt, deadline)) {
        return NOT_ACQUIRED;
      }
    }
  }

  private MetaResponse add(int i) {
    return node.send(MetaSet.of(keys[i], value).mode(SetMode.ADD).ttl(TTL_SECONDS).returnCas())
        .join();
  }

  private MetaResponse addFenceCheck(int i) {
    long micros = System.currentTimeMillis() * 1000;
    List<CompletableFuture<?>> f =
        node.sendAll(
            List.of(
                MetaSet.of(keys[i], value).mode(SetMode.ADD).ttl(TTL_SECONDS).returnCas(),
                MetaArithmetic.of(fenceKeys[i]).autoCreate(0).initial(micros).returnValue(),
                MetaGet.of(keys[i]).returnCas().returnTtl().returnValue()),
            TIMEOUT);
    CompletableFuture.allOf(f.toArray(new CompletableFuture<?>[0])).join();
    return (MetaResponse) f.get(0).join();
  }

  @Override
  public void unlock(int i) {
    MetaResponse r;
    if (memlockCommands) {
      List<CompletableFuture<?>> f =
          node.sendAll(
              List.of(
                  MetaGet.of(waiterKeys[i]).quiet(), MetaDelete.of(keys[i]).compareCas(cas.get(i))),
              TIMEOUT);
      CompletableFuture.allOf(f.toArray(new CompletableFuture<?>[0])).join();
      r = (MetaResponse) f.get(1).join();
    } else {
      r = node.send(MetaDelete.of(keys[i]).compareCas(cas.get(i))).join();
    }
    if (r.status() != MetaStatus.HD) {
      throw new IllegalStateException("delete of " + keys[i] + " answered " + r);
    }
  }

  @Override
  public long polls() {
    return polls.sum();
  }

  @Override
  public void close() {
    transport.close();
  }
}
