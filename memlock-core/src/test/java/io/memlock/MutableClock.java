package io.memlock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock moved by hand, for the rate limiter's arithmetic against a real server. */
final class MutableClock extends Clock {
  private final AtomicLong micros;

  MutableClock(Instant start) {
    this.micros = new AtomicLong(start.getEpochSecond() * 1_000_000L + start.getNano() / 1000);
  }

  void advance(Duration d) {
    micros.addAndGet(d.toNanos() / 1000);
  }

  long micros() {
    return micros.get();
  }

  @Override
  public Instant instant() {
    long m = micros.get();
    return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
