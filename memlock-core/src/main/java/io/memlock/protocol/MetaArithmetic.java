package io.memlock.protocol;

import java.util.EnumSet;
import java.util.Set;

/** {@code ma}: increments or decrements a number, optionally creating it on a miss. */
public final class MetaArithmetic extends MetaRequest {
  private static final Set<MetaStatus> ALLOWED =
      EnumSet.of(MetaStatus.HD, MetaStatus.VA, MetaStatus.NF, MetaStatus.NS, MetaStatus.EX);

  private MetaArithmetic(Key key) {
    super("ma", key, ALLOWED);
  }

  /**
   * Starts an {@code ma} request (increment by one unless told otherwise).
   *
   * @param key the key
   * @return the request
   */
  public static MetaArithmetic of(Key key) {
    return new MetaArithmetic(key);
  }

  /**
   * {@code N}: on a miss, create the item with this TTL (0 means never expire).
   *
   * @param ttl TTL in seconds
   * @return this request
   */
  public MetaArithmetic autoCreate(long ttl) {
    flag('N', ttl);
    return this;
  }

  /**
   * {@code J}: the value an auto-created item starts with (before the delta is applied it is this
   * value; memcached returns it as the result of the creating call).
   *
   * @param initial an unsigned 64-bit number, as a Java long
   * @return this request
   */
  public MetaArithmetic initial(long initial) {
    flagUnsigned('J', initial);
    return this;
  }

  /**
   * {@code D}: the delta.
   *
   * @param delta an unsigned 64-bit number, as a Java long
   * @return this request
   */
  public MetaArithmetic delta(long delta) {
    flagUnsigned('D', delta);
    return this;
  }

  /**
   * {@code MD}: decrement instead of increment (stops at zero).
   *
   * @return this request
   */
  public MetaArithmetic decrement() {
    flag('M', 'D');
    return this;
  }

  /**
   * {@code T}: update the TTL on success.
   *
   * @param ttl TTL in seconds
   * @return this request
   */
  public MetaArithmetic ttl(long ttl) {
    flag('T', ttl);
    return this;
  }

  /**
   * {@code C}: apply only if the item's CAS equals this.
   *
   * @param cas the expected CAS
   * @return this request
   */
  public MetaArithmetic compareCas(long cas) {
    flag('C', cas);
    return this;
  }

  /**
   * {@code v}: return the new value. memcached 1.6.18 drops this value on a quiet hit, so do not
   * combine it with {@link #quiet()}.
   *
   * @return this request
   */
  public MetaArithmetic returnValue() {
    flag('v');
    return this;
  }

  /**
   * {@code t}: return the remaining TTL.
   *
   * @return this request
   */
  public MetaArithmetic returnTtl() {
    flag('t');
    return this;
  }

  /**
   * {@code c}: return the new CAS.
   *
   * @return this request
   */
  public MetaArithmetic returnCas() {
    flag('c');
    return this;
  }

  @Override
  public MetaArithmetic quiet() {
    super.quiet();
    return this;
  }

  @Override
  public MetaArithmetic opaque(String token) {
    super.opaque(token);
    return this;
  }

  private void flagUnsigned(char letter, long value) {
    flag(letter, Long.toUnsignedString(value));
  }
}
