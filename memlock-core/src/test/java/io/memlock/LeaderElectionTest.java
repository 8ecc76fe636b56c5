package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election in one JVM: listener order and threads, yield, close, await, a lost lease. */
class LeaderElectionTest {
  @RegisterExtension static final MemcachedExtension memcached = MemcachedExtension.servers(1);

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static MemLock client() {
    return MemLock.builder()
        .restartGrace(false)
        .servers(memcached.serverList())
        .leaseTime(Duration.ofSeconds(3))
        .build();
  }

  /** Records listener calls as "granted <term>" / "revoked", and the threads they ran on. */
  static final class Recorder implements LeadershipListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean inCall;

    @Override
    public void granted(long term) {
      record("granted " + term);
    }

    @Override
    public void revoked() {
      record("revoked");
    }

    private void record(String event) {
      if (inCall) {
        events.add("overlapping listener calls"); // fails the test's next() expectation
      }
      inCall = true;
      threads.add(Thread.currentThread().getName());
      try {
        TimeUnit.MILLISECONDS.sleep(100); // a slow listener: the next call must wait for it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inCall = false;
      events.add(event);
    }

    String next() throws InterruptedException {
      String e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(e).as("a listener call within " + WAIT).isNotNull();
      return e;
    }

    long nextGranted() throws InterruptedException {
      String e = next();
      assertThat(e).startsWith("granted ");
      return Long.parseLong(e.substring("granted ".length()));
    }
  }

  @Test
  void oneLeaderAtATimeAndTheNextTakesOverWhenItCloses() throws Exception {
    try (MemLock a = client();
        MemLock b = client()) {
      LeaderElection ea = a.leaderElection("one");
      Recorder ra = new Recorder();
      ea.addListener(ra);
      ea.start();
      assertThat(ea.awaitLeadership(WAIT)).isTrue();
      long first = ra.nextGranted();
      assertThat(ea.term()).isEqualTo(first);
      assertThat(ea.leader()).contains(ea.participantId());

      LeaderElection eb = b.leaderElection("one");
      Recorder rb = new Recorder();
      eb.addListener(rb);
      eb.start();
      assertThat(eb.awaitLeadership(Duration.ofMillis(300))).isFalse();
      assertThat(eb.isLeader()).isFalse();
      assertThat(eb.term()).isEqualTo(-1);
      assertThat(eb.leader()).contains(ea.participantId());

      ea.close();
      ea.close(); // idempotent
      assertThat(ra.next()).isEqualTo("revoked");
      assertThat(ea.isLeader()).isFalse();
      assertThat(rb.nextGranted()).isGreaterThan(first);
      assertThat(eb.isLeader()).isTrue();
      assertThat(eb.leader()).contains(eb.participantId());
      assertThat(ea.awaitLeadership(Duration.ofMillis(100))).isFalse();
      assertThatThrownBy(ea::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");

      List<String> threads = new ArrayList<>(ra.threads);
      threads.addAll(rb.threads);
      assertThat(threads).allMatch(t -> t.startsWith("memlock-callback-"), "callback threads");
    }
  }

  @Test
  void yieldingHandsOverAndQueuesAgain() throws Exception {
    try (MemLock a = client();
        MemLock b = client()) {
      LeaderElection ea = a.leaderElection("yield");
      Recorder ra = new Recorder();
      ea.addListener(ra);
      ea.start();
      assertThat(ea.awaitLeadership(WAIT)).isTrue();
      long t1 = ea.term();
      LeaderElection eb = b.leaderElection("yield");
      Recorder rb = new Recorder();
      eb.addListener(rb);
      eb.start();
      assertThat(eb.yieldLeadership()).as("not leader: nothing to yield").isFalse();

      // At once, while a's (slow) listener is likely still in granted: revoked must wait for it.
      assertThat(ea.yieldLeadership()).isTrue();
      assertThat(ea.isLeader()).isFalse();
      assertThat(ra.next()).isEqualTo("granted " + t1);
      assertThat(ra.next()).isEqualTo("revoked");
      long t2 = rb.nextGranted();
      assertThat(t2).isGreaterThan(t1);
      // a queued again: it leads once b leaves.
      eb.close();
      assertThat(rb.next()).isEqualTo("revoked");
      assertThat(ra.nextGranted()).isGreaterThan(t2);
      assertThat(ea.isLeader()).isTrue();
    }
  }

  @Test
  void aLostLeaseIsRevokedAtOnceAndTheParticipantQueuesAgain() throws Exception {
    try (MemLock a = client();
        MemLock operator = client()) {
      LeaderElection ea = a.leaderElection("lost");
      Recorder ra = new Recorder();
      ea.addListener(ra);
      ea.start();
      long t1 = ra.nextGranted();
      operator.forceRelease("lost"); // the next renewal (within 1 s) finds the item gone
      assertThat(ra.next()).isEqualTo("revoked");
      assertThat(ra.nextGranted()).isGreaterThan(t1);
      assertThat(ea.isLeader()).isTrue();
    }
  }

  @Test
  void leadershipEndsWhenTheLeaseRunsOutByTheClientsClock() throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1L);
    try (MemLock a =
        MemLock.builder()
            .restartGrace(false)
            .servers(memcached.serverList())
            .leaseTime(Duration.ofSeconds(10))
            .drift(0.02)
            .ticker(now::get)
            .build()) {
      LeaderElection ea = a.leaderElection("clock");
      Recorder ra = new Recorder();
      ea.addListener(ra);
      ea.start();
      long t1 = ra.nextGranted();
      long validity = (long) (8 * 1e9 * 0.98); // (ttl - 2 s) x (1 - drift), as for a lock
      now.addAndGet(validity - 1);
      assertThat(ea.isLeader()).isTrue();
      // As after a pause: the lease ran out by this client's clock, and no renewal or listener
      // call has happened yet. The participant must not believe it leads.
      now.addAndGet(1);
      assertThat(ea.isLeader()).isFalse();
      assertThat(ea.term()).isEqualTo(-1);
      // The watchdog's next check finds the lease ran out: revoked, queued again, granted again.
      assertThat(ra.next()).isEqualTo("revoked");
      assertThat(ra.nextGranted()).isGreaterThan(t1);
      assertThat(ea.isLeader()).isTrue();
    }
  }

  @Test
  void closingTheClientRevokesAndALateListenerHearsGranted() throws Exception {
    MemLock a = client();
    LeaderElection ea = a.leaderElection("client-close");
    ea.start();
    assertThat(ea.awaitLeadership(WAIT)).isTrue();
    Recorder late = new Recorder();
    ea.addListener(late);
    assertThat(late.nextGranted()).isEqualTo(ea.term());
    a.close();
    assertThat(late.next()).isEqualTo("revoked");
    assertThat(ea.isLeader()).isFalse();
    try (MemLock b = client()) {
      assertThat(b.inspect("client-close")).as("released on close").isEmpty();
    }
  }

  @Test
  void awaitBeforeStartAndBadNamesAreRefused() throws Exception {
    try (MemLock a = client()) {
      LeaderElection e = a.leaderElection("unstarted");
      assertThatThrownBy(() -> e.awaitLeadership(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("call start() first");
      assertThat(e.term()).isEqualTo(-1);
      assertThat(e.yieldLeadership()).isFalse();
      e.close();
      assertThatThrownBy(() -> a.leaderElection("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> e.addListener(null)).isInstanceOf(NullPointerException.class);
    }
  }
}
