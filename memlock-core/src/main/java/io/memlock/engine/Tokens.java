package io.memlock.engine;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens of one client's acquisitions: 128 bits, 64 random bits of this client and a 64-bit
 * sequence (the shared {@code SecureRandom} took a lock, and now and then a system call, per
 * acquisition; tokens need to be unique, not unpredictable: any client may delete any item).
 */
final class Tokens {
  private final SecureRandom random = new SecureRandom();

  /**
   * The first 8 bytes of every token of this client: random, chosen once, so that two clients'
   * tokens differ (but for a chance of 2^-64 per pair of clients).
   */
  private final long prefix = random.nextLong();

  /** The last 8 bytes: a sequence from a random start, so that no two tokens of a client agree. */
  private final AtomicLong sequence = new AtomicLong(random.nextLong());

  /** Returns a token no other acquisition of this client carries. */
  byte[] next() {
    byte[] token = new byte[16];
    long a = prefix;
    long b = sequence.incrementAndGet();
    for (int i = 7; i >= 0; i--) {
      token[i] = (byte) a;
      token[i + 8] = (byte) b;
      a >>>= 8;
      b >>>= 8;
    }
    return token;
  }
}
