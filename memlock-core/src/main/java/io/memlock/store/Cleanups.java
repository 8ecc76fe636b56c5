package io.memlock.store;

import io.memlock.protocol.Key;
import io.memlock.protocol.MetaDelete;
import io.memlock.protocol.MetaGet;
import io.memlock.protocol.MetaStatus;
import io.memlock.transport.NodeClient;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes items of this client that may outlive their use: a won add whose acquisition failed, a
 * release that got no answer, an add whose outcome is unknown. Each cleanup reads the item and
 * deletes it (by the CAS just read, in the same connection epoch) only if its value carries the
 * holder's token, so it never touches another holder's item.
 *
 * <p>A cleanup whose request fails (the connection was cut, the server stalled) is tried again a
 * second later, after reconnections too, for as long as the item can live. When the item is known
 * to have been written, finding it gone ends the cleanup. When it is not (the add got no answer),
 * memcached may still run the add later, e.g. when a paused server resumes, even after the
 * connection was closed: the cleanup then goes on reading until the server has answered for the
 * longest TTL in a row without showing the item, so a late item is deleted within seconds instead
 * of blocking the lock for its TTL.
 */
final class Cleanups {
  /** The library's logger (the lease engine logs to the same one). */
  private static final System.Logger LOG = System.getLogger("io.memlock");

  /** How long a cleanup keeps trying while the server does not answer. */
  static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(10);

  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(4);

  private final ScheduledExecutorService scheduler;
  private final long timeoutNanos;
  private final long quietNanos;

  /** The cleanups under way, counted by server, key and token. */
  private final ConcurrentHashMap<Target, Integer> active = new ConcurrentHashMap<>();

  private record Target(NodeClient node, String key, ByteBuffer token) {}

  /**
   * Makes the cleanups of one store.
   *
   * @param scheduler runs the retries
   * @param timeoutNanos the request timeout
   * @param longestTtlSeconds the longest TTL of an item (the cluster's maximum lease)
   */
  Cleanups(ScheduledExecutorService scheduler, long timeoutNanos, long longestTtlSeconds) {
    this.scheduler = scheduler;
    this.timeoutNanos = timeoutNanos;
    // The server's clock may skip a second, and its TTLs end within a second: two more.
    this.quietNanos = TimeUnit.SECONDS.toNanos(longestTtlSeconds + 2);
  }

  /** One item to delete if it is ours. */
  private static final class Job {

    final NodeClient node;
    final Key key;
    final byte[] token;
    final boolean written;
    final Target target;
    final long started = System.nanoTime();
    long answeredSince = -1;
    long interval = RETRY_NANOS;
    long failDelay = RETRY_NANOS;

    Job(NodeClient node, Key key, byte[] token, boolean written) {
      this.node = node;
      this.key = key;
      this.token = token;
      this.written = written;
      this.target = new Target(node, key.toString(), ByteBuffer.wrap(token.clone()));
    }
  }

  /**
   * Tells whether a cleanup of this item is under way: an item written again with the same token
   * now would be deleted by it.
   */
  boolean pending(NodeClient node, Key key, byte[] token) {
    return active.containsKey(new Target(node, key.toString(), ByteBuffer.wrap(token)));
  }

  private void done(Job j) {
    active.computeIfPresent(j.target, (t, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Deletes {@code key} on {@code node} if its value carries {@code token}.
   *
   * @param written true when the item is known to have been written (an add answered, a lease
   *     held), so that finding it gone ends the cleanup; false when the request that writes it may
   *     still run
   */
  void deleteIfOwned(NodeClient node, Key key, byte[] token, boolean written) {
    Job j = new Job(node, key, token, written);
    active.merge(j.target, 1, Integer::sum);
    check(j);
  }

  private void check(Job j) {
    long epoch = j.node.epoch();
    if (!j.node.isConnected()) {
      // Costs nothing: look again a second later, so the cleanup follows the reconnection soon.
      j.failDelay = RETRY_NANOS;
      failed(j);
      return;
    }
    j.node
        .send(MetaGet.of(j.key).returnValue().returnCas(), timeoutNanos, epoch)
        .whenComplete(
            (r, t) -> {
              if (t != null) {
                failed(j);
                return;
              }
              LockValue v = r.status() == MetaStatus.VA ? LockValue.decode(r.value()) : null;
              if (v == null || !v.hasToken(j.token)) {
                absent(j);
                return;
              }
              // The CAS was read in this epoch: the delete is dropped if the connection changes.
              j.node
                  .send(MetaDelete.of(j.key).compareCas(r.cas()), timeoutNanos, epoch)
                  .whenComplete(
                      (d, e) -> {
                        if (e != null) {
                          failed(j);
                        } else if (d.status() != MetaStatus.HD) {
                          // Changed since the read (NF: gone, EX: rewritten): read it again.
                          later(j, 0);
                        } else {
                          done(j);
                        }
                      });
            });
  }

  /** The server answered and the item is not ours (or not there). */
  private void absent(Job j) {
    j.failDelay = RETRY_NANOS;
    if (j.written) {
      done(j);
      return;
    }
    long now = System.nanoTime();
    if (j.answeredSince < 0) {
      j.answeredSince = now;
    }
    if (now - j.answeredSince >= quietNanos) {
      done(j);
      return;
    }
    long next = j.interval;
    j.interval = Math.min(j.interval * 2, MAX_CHECK_INTERVAL_NANOS);
    later(j, next);
  }

  /**
   * No answer: try again, a second later at first and up to four seconds apart while requests keep
   * timing out (each waits in a stalled server's queue), until it has failed for too long.
   */
  private void failed(Job j) {
    j.answeredSince = -1;
    j.interval = RETRY_NANOS;
    long delay = j.failDelay;
    j.failDelay = Math.min(delay * 2, MAX_CHECK_INTERVAL_NANOS);
    if (System.nanoTime() - j.started > GIVE_UP_NANOS) {
      LOG.log(
          System.Logger.Level.WARNING,
          "gave up deleting "
              + j.key
              + " on "
              + j.node
              + " after "
              + TimeUnit.NANOSECONDS.toMinutes(GIVE_UP_NANOS)
              + " minutes without an answer; it expires with its TTL");
      done(j);
      return;
    }
    later(j, delay);
  }

  private void later(Job j, long delayNanos) {
    try {
      scheduler.schedule(() -> check(j), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The client is closing: the item expires with its TTL.
      done(j);
    }
  }
}
