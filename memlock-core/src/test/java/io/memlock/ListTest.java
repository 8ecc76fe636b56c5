package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.HeldItem.Kind;
import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MemLock#list(String)} against one real memcached: kinds, fields, names, what is skipped.
 */
class ListTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.server();

  static MemLock client(String servers, String namespace) {
    return MemLock.builder()
        .restartGrace(false)
        .servers(servers)
        .namespace(namespace)
        .leaseTime(Duration.ofSeconds(10))
        .build();
  }

  private static MemLock client() {
    return client(memcached.serverList(), "memlock");
  }

  /** Lists until {@code done} holds for the listing (the fence is published within a second). */
  static LockListing listUntil(MemLock c, String prefix, Predicate<LockListing> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      LockListing listing = c.list(prefix);
      if (done.test(listing) || System.nanoTime() > deadline) {
        return listing;
      }
      Thread.sleep(100); // polling memcached's state, not synchronising threads
    }
  }

  static HeldItem only(LockListing listing, Kind kind, String name) {
    List<HeldItem> found =
        listing.items().stream().filter(i -> i.kind() == kind && i.name().equals(name)).toList();
    assertThat(found).as("%s %s in %s", kind, name, listing).hasSize(1);
    return found.get(0);
  }

  private static boolean allFenced(LockListing l) {
    return l.items().stream()
        .allMatch(i -> i.kind() == Kind.FAIR_QUEUE_TICKET || i.fencingToken().isPresent());
  }

  @Test
  void listsEveryKindWithItsFields() throws Exception {
    String server = memcached.server(0).hostAndPort();
    try (MemLock a = client();
        MemLock b = client()) {
      LockHandle lock = a.lock("orders/1").acquire(Duration.ZERO);
      LockHandle read = a.readWriteLock("catalog").readLock().acquire(Duration.ZERO);
      LockHandle write = a.readWriteLock("prices").writeLock().acquire(Duration.ZERO);
      DistributedSemaphore pool = a.semaphore("pool", 3);
      LockHandle p1 = pool.acquire(Duration.ZERO);
      LockHandle p2 = pool.acquire(Duration.ZERO);
      DistributedLock fairA = a.fairLock("queue");
      fairA.lock();
      CompletableFuture<Boolean> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.fairLock("queue").tryLock(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return false;
                }
              });
      LockListing listing =
          listUntil(
              a,
              "",
              l ->
                  allFenced(l)
                      && l.items().stream().anyMatch(i -> i.kind() == Kind.FAIR_QUEUE_TICKET));
      assertThat(listing.isComplete()).isTrue();

      HeldItem l = only(listing, Kind.LOCK, "orders/1");
      assertThat(l.fencingToken()).hasValue(lock.fencingToken());
      assertThat(l.holder()).contains("/" + ProcessHandle.current().pid() + "/");
      assertThat(l.leaseLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
      assertThat(l.servers()).containsExactly(server);
      assertThat(l.slot()).isEqualTo(-1);
      assertThat(l.nameHashed()).isFalse();

      HeldItem r = only(listing, Kind.READ, "catalog");
      assertThat(r.fencingToken()).hasValue(read.fencingToken());
      assertThat(r.slot()).isBetween(0L, 63L);
      HeldItem w = only(listing, Kind.WRITE, "prices");
      assertThat(w.fencingToken()).hasValue(write.fencingToken());

      List<HeldItem> permits =
          listing.items().stream().filter(i -> i.kind() == Kind.PERMIT).toList();
      assertThat(permits).extracting(HeldItem::name).containsExactly("pool", "pool");
      assertThat(permits)
          .extracting(i -> i.fencingToken().getAsLong())
          .containsExactlyInAnyOrder(p1.fencingToken(), p2.fencingToken());
      assertThat(permits).extracting(HeldItem::slot).doesNotHaveDuplicates();

      HeldItem fair = only(listing, Kind.LOCK, "queue");
      assertThat(fair.fencingToken()).hasValue(fairA.fencingToken());
      HeldItem ticket = only(listing, Kind.FAIR_QUEUE_TICKET, "queue");
      assertThat(ticket.fencingToken()).isEmpty();
      assertThat(ticket.slot()).isGreaterThanOrEqualTo(0);
      assertThat(ticket.holder()).contains("/" + ProcessHandle.current().pid() + "/");
      assertThat(ticket.leaseLeft()).isLessThanOrEqualTo(Duration.ofSeconds(5));

      assertThat(listing.items()).hasSize(7);
      // Sorted by name.
      assertThat(listing.items()).extracting(HeldItem::name).isSorted();

      fairA.unlock();
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
      lock.release();
      read.release();
      write.release();
      p1.release();
      p2.release();
    }
  }

  @Test
  void prefixSelectsNames() throws Exception {
    try (MemLock c = client()) {
      c.lock("jobs/a").acquire(Duration.ZERO);
      c.lock("jobs/b").acquire(Duration.ZERO);
      c.lock("other").acquire(Duration.ZERO);
      assertThat(c.list("jobs/").items())
          .extracting(HeldItem::name)
          .containsExactly("jobs/a", "jobs/b");
      assertThat(c.list("nothing").items()).isEmpty();
      assertThat(c.list("").items()).hasSize(3);
      assertThatThrownBy(() -> c.list(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix is null");
    }
  }

  @Test
  void otherNamespacesAndForeignKeysAreSkipped() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemLock mine = client();
        MemLock theirs = client(memcached.serverList(), "billing")) {
      mine.lock("shared-name").acquire(Duration.ZERO);
      theirs.lock("shared-name").acquire(Duration.ZERO);
      theirs.lock("theirs-only").acquire(Duration.ZERO);
      mine.rateLimiter("api", 10, Duration.ofSeconds(1)).tryAcquire();
      RawMemcached.set(server, "plain-key", "x", 60);
      RawMemcached.set(server, "memlock:L:not-ours", "someone else's value", 60);
      RawMemcached.set(server, "memlock:Z9:odd-kind", "memlock1 x", 60);
      RawMemcached.set(server, "memlockX:L:near-miss", "x", 60);

      LockListing listing = mine.list("");
      assertThat(listing.items()).extracting(HeldItem::name).containsExactly("shared-name");
      LockListing billing = theirs.list("");
      assertThat(billing.items())
          .extracting(HeldItem::name)
          .containsExactly("shared-name", "theirs-only");
    }
  }

  @Test
  void releasedAndExpiredItemsAreNotListed() throws Exception {
    MemcachedServer server = memcached.server(0);
    try (MemLock c = client()) {
      c.lock("released").acquire(Duration.ZERO).release();
      c.lock("kept").acquire(Duration.ZERO);
      // An item with a memlock value that expires before the listing.
      RawMemcached.set(
          server, "memlock:L:expired", "memlock1 0123456789abcdef0123456789abcdef 7 h/1/t", 1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (RawMemcached.exists(server, "memlock:L:expired") && System.nanoTime() < deadline) {
        Thread.sleep(100); // waiting for memcached's clock, not for a thread
      }
      assertThat(c.list("").items()).extracting(HeldItem::name).containsExactly("kept");
    }
  }

  @Test
  void namesWithSpacesUnicodeAndTooLongForAKey() throws Exception {
    String spaced = "report for 2026-12-03";
    String unicode = "Zürich → 東京 🔒";
    String tooLong = "x".repeat(300);
    try (MemLock c = client()) {
      c.lock(spaced).acquire(Duration.ZERO);
      c.lock(unicode).acquire(Duration.ZERO);
      LockHandle hashed = c.lock(tooLong).acquire(Duration.ZERO);

      LockListing all = c.list("");
      assertThat(all.items()).hasSize(3);
      only(all, Kind.LOCK, spaced);
      only(all, Kind.LOCK, unicode);
      HeldItem h = all.items().stream().filter(HeldItem::nameHashed).findFirst().orElseThrow();
      assertThat(h.name()).matches("#[0-9a-f]{64}");
      assertThat(h.kind()).isEqualTo(Kind.LOCK);
      assertThat(h.holder()).contains("/" + ProcessHandle.current().pid() + "/");
      // The hash hides the name: a prefix cannot select it.
      assertThat(c.list("x").items()).isEmpty();
      assertThat(c.list("Zürich ").items()).extracting(HeldItem::name).containsExactly(unicode);
      assertThat(c.list("report for").items()).extracting(HeldItem::name).containsExactly(spaced);
      hashed.release();
    }
  }

  @Test
  void aDisabledCrawlerIsNamedWithTheFix() {
    try (MemcachedServer noCrawler =
            MemcachedServer.builder().args("-o", "no_lru_crawler").start();
        MemLock c = client(noCrawler.hostAndPort(), "memlock")) {
      assertThatThrownBy(() -> c.list(""))
          .isInstanceOf(LockListingException.class)
          .hasMessageContaining(noCrawler.hostAndPort())
          .hasMessageContaining("crawler is disabled")
          .hasMessageContaining("no_lru_crawler")
          .hasMessageContaining("lru_crawler enable");
    }
  }

  @Test
  void waitersShowThePollingFlagAndTheFairQueue() throws Exception {
    try (MemLock a = client();
        MemLock b = client()) {
      assertThat(a.waiters("contended")).isEqualTo(new LockWaiters(false, List.of()));
      LockHandle held = a.lock("contended").acquire(Duration.ZERO);
      a.fairLock("fair").lock();
      CompletableFuture<Boolean> poller =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.lock("contended").tryLock(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return false;
                }
              });
      CompletableFuture<Boolean> queued =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.fairLock("fair").tryLock(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  return false;
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((!a.waiters("contended").polling() || a.waiters("fair").queue().isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(50); // polling memcached's state
      }
      assertThat(a.waiters("contended").polling()).isTrue();
      LockWaiters fair = a.waiters("fair");
      assertThat(fair.queue()).hasSize(1);
      HeldItem ticket = fair.queue().get(0);
      assertThat(ticket.kind()).isEqualTo(Kind.FAIR_QUEUE_TICKET);
      assertThat(ticket.name()).isEqualTo("fair");
      assertThat(ticket.holder()).contains("/" + ProcessHandle.current().pid() + "/");
      held.release();
      a.fairLock("fair").unlock();
      assertThat(poller.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(queued.get(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> a.waiters("")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aClosedClientRefuses() {
    MemLock c = client();
    c.close();
    assertThatThrownBy(() -> c.list("")).isInstanceOf(ClientClosedException.class);
  }

  static List<String> names(LockListing listing) {
    List<String> names = new ArrayList<>();
    listing.items().forEach(i -> names.add(i.name()));
    return names;
  }
}
