package io.memlock.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.MemLockListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue and the thread behind the statistics listeners (no server needed). */
class ListenersTest {

  /** Hears cache lookups; the first one waits until {@code unblock} opens. */
  private static final class Slow implements MemLockListener {
    final List<String> heard = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch unblock = new CountDownLatch(1);
    final CountDownLatch all;

    Slow(int expected) {
      all = new CountDownLatch(expected);
    }

    @Override
    public void cacheLookup(String cache, boolean hit) {
      heard.add(cache);
      entered.countDown();
      try {
        unblock.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      all.countDown();
    }
  }

  @Test
  void nobodyListensNoThread() {
    Listeners listeners = new Listeners();
    listeners.cacheLookup("c", true);
    assertThat(listeners.any()).isFalse();
    assertThat(listeners.thread()).isNull();
    listeners.close();
  }

  @Test
  void aFullQueueDropsAndCountsAndKeepsOrder() throws Exception {
    Listeners listeners = new Listeners(4);
    Slow slow = new Slow(5);
    listeners.add(slow);
    listeners.cacheLookup("0", true);
    assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue();
    // "0" is being delivered; four wait in the queue; three more do not fit.
    for (int i = 1; i <= 7; i++) {
      listeners.cacheLookup(String.valueOf(i), true);
    }
    assertThat(listeners.dropped()).isEqualTo(3);
    slow.unblock.countDown();
    assertThat(slow.all.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(slow.heard).containsExactly("0", "1", "2", "3", "4");
    listeners.close();
    assertThat(listeners.thread().isAlive()).isFalse();
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthersNorLaterEvents() throws Exception {
    Listeners listeners = new Listeners();
    Slow after = new Slow(3);
    after.unblock.countDown();
    listeners.add(
        new MemLockListener() {
          @Override
          public void cacheLookup(String cache, boolean hit) {
            throw new IllegalStateException("broken");
          }
        });
    listeners.add(after);
    for (int i = 0; i < 3; i++) {
      listeners.cacheLookup(String.valueOf(i), true);
    }
    assertThat(after.all.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(after.heard).containsExactly("0", "1", "2");
    listeners.close();
  }

  @Test
  void removingTheLastListenerStopsTheThreadAndAddingOneStartsAnother() throws Exception {
    Listeners listeners = new Listeners();
    Slow first = new Slow(1);
    first.unblock.countDown();
    listeners.add(first);
    Thread thread = listeners.thread();
    assertThat(thread.getName()).startsWith("memlock-events-");
    assertThat(listeners.remove(first)).isTrue();
    assertThat(listeners.any()).isFalse();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(thread.isAlive()).isFalse();

    Slow second = new Slow(1);
    second.unblock.countDown();
    listeners.add(second);
    assertThat(listeners.thread()).isNotSameAs(thread);
    listeners.cacheLookup("again", false);
    assertThat(second.all.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.heard).isEmpty();
    listeners.close();
    assertThat(listeners.thread().isAlive()).isFalse();
    listeners.add(first);
    assertThat(listeners.any()).isFalse();
  }
}
