package io.memlock.bench.locks;

import io.memlock.protocol.Key;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaResponse;
import io.memlock.protocol.MetaSet;
import io.memlock.protocol.MetaStatus;
import io.memlock.protocol.SetMode;
import io.memlock.transport.MemcachedTransport;
import io.memlock.transport.NodeClient;
import io.memlock.transport.ServerAddress;
import io.memlock.transport.TransportConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The physical limit of a lock in memcached: on memlock's own transport, {@code ms <key> 1 ME T30
 * c} (add a 1-byte item, return its CAS) to lock and {@code md <key> C<cas>} to unlock, each waited
 * for with {@code join()}. Two round trips per lock and unlock, no fencing token, no holder
 * description, no lease bookkeeping, no watchdog. A busy lock is polled with {@link Backoff}.
 *
 * <p>Keys are {@code raw:<name>}, encoded once, up front.
 */
public final class RawMemcachedContender implements LockContender {
  private static final byte[] ONE = {'1'};
  private static final long TTL_SECONDS = 30;

  private final MemcachedTransport transport;
  private final NodeClient node;
  private final Key[] keys;
  private final Backoff backoff;

  /** The CAS of each name's item while this client holds it. */
  private final AtomicLongArray cas;

  /**
   * Connects to memcached and waits until the connection is up.
   *
   * @param server memcached's {@code host:port}
   * @param names the lock names
   * @param backoff the wait between attempts on a busy lock
   */
  public RawMemcachedContender(String server, List<String> names, Backoff backoff) {
    this.backoff = backoff;
    keys = new Key[names.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Key.of("raw:" + names.get(i));
    }
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
      MetaResponse r =
          node.send(MetaSet.of(keys[i], ONE).mode(SetMode.ADD).ttl(TTL_SECONDS).returnCas()).join();
      if (r.status() == MetaStatus.HD) {
        cas.set(i, r.cas());
        return 0;
      }
      if (r.status() != MetaStatus.NS) {
        throw new IllegalStateException("add of " + keys[i] + " answered " + r);
      }
      if (waitNanos == FOREVER) {
        TimeUnit.NANOSECONDS.sleep(backoff.delayNanos(attempt));
      } else if (!backoff.pause(attempt, deadline)) {
        return NOT_ACQUIRED;
      }
    }
  }

  @Override
  public void unlock(int i) {
    MetaResponse r = node.send(MetaDelete.of(keys[i]).compareCas(cas.get(i))).join();
    if (r.status() != MetaStatus.HD) {
      throw new IllegalStateException("delete of " + keys[i] + " answered " + r);
    }
  }

  @Override
  public void close() {
    transport.close();
  }
}
