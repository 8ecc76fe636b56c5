package io.memlock.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A reply to a meta command: its status, the flags it returned and, for {@link MetaStatus#VA}, its
 * value.
 */
public final class MetaResponse {
  private static final String[] NO_FLAGS = new String[0];
  private static final MetaResponse QUIET_SUCCESS = new MetaResponse(MetaStatus.HD, NO_FLAGS, null);

  private final MetaStatus status;
  private final String[] flags;
  private final byte @Nullable [] value;

  MetaResponse(MetaStatus status, String[] flags, byte @Nullable [] value) {
    this.status = status;
    this.flags = flags;
    this.value = value;
  }

  /**
   * Creates a response, for tests and fakes.
   *
   * @param status the status
   * @param value the value for {@link MetaStatus#VA}, else null
   * @param flags the returned flags, each a flag letter followed by its token
   * @return the response
   */
  public static MetaResponse of(MetaStatus status, byte @Nullable [] value, String... flags) {
    return new MetaResponse(status, flags.clone(), value == null ? null : value.clone());
  }

  /** The implied {@code HD} of a quiet request that memcached did not answer. */
  static MetaResponse quietSuccess() {
    return QUIET_SUCCESS;
  }

  /**
   * Returns the status.
   *
   * @return the two-letter return code
   */
  public MetaStatus status() {
    return status;
  }

  /**
   * Tells whether the status is {@link MetaStatus#HD} or {@link MetaStatus#VA}.
   *
   * @return true on success
   */
  public boolean isSuccess() {
    return status == MetaStatus.HD || status == MetaStatus.VA;
  }

  /**
   * Returns the value block, or null when the reply carried none.
   *
   * @return the value (not copied: do not modify)
   */
  public byte @Nullable [] value() {
    return value;
  }

  /**
   * Returns the value as ASCII/UTF-8 text, or null.
   *
   * @return the value as text
   */
  public @Nullable String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /**
   * Tells whether the reply carries a flag.
   *
   * @param flag the flag letter, e.g. {@code 'W'}
   * @return true if present
   */
  public boolean hasFlag(char flag) {
    return token(flag) != null;
  }

  /**
   * Returns the token that follows a returned flag, e.g. {@code "30"} for {@code t30}.
   *
   * @param flag the flag letter
   * @return the token (empty for a bare flag), or null when the flag is absent
   */
  public @Nullable String token(char flag) {

    for (String f : flags) {
      if (f.charAt(0) == flag) {
        return f.substring(1);
      }
    }
    return null;
  }

  /**
   * Returns a numeric flag token.
   *
   * @param flag the flag letter, e.g. {@code 'c'}
   * @return its value
   * @throws io.memlock.MemcachedProtocolException if the flag is absent or not a number
   */
  public long number(char flag) {
    String t = token(flag);
    if (t == null) {
      throw new io.memlock.MemcachedProtocolException(
          "reply " + this + " lacks the " + flag + " flag");
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new io.memlock.MemcachedProtocolException(
          "reply " + this + " has a non-numeric " + flag + " flag");
    }
  }

  /**
   * Returns the CAS value ({@code c} flag).
   *
   * @return the CAS
   */
  public long cas() {
    return number('c');
  }

  /**
   * Returns the remaining TTL in seconds ({@code t} flag), -1 for an item that never expires.
   *
   * @return the remaining TTL
   */
  public long ttl() {
    return number('t');
  }

  /**
   * Returns the client flags ({@code f} flag), a 32-bit unsigned number.
   *
   * @return the client flags
   */
  public long clientFlags() {
    return number('f');
  }

  /**
   * Returns the opaque token ({@code O} flag), or null.
   *
   * @return the opaque token
   */
  public @Nullable String opaque() {
    return token('O');
  }

  /**
   * Returns the value parsed as an unsigned decimal number, as {@code ma v} returns it.
   *
   * @return the number
   * @throws io.memlock.MemcachedProtocolException if there is no value or it is not a number
   */
  public long valueAsNumber() {
    if (value == null) {
      throw new io.memlock.MemcachedProtocolException("reply " + this + " carries no value");
    }
    try {
      return Long.parseUnsignedLong(new String(value, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw new io.memlock.MemcachedProtocolException(
          "reply " + this + " carries a non-numeric value");
    }
  }

  /**
   * Returns all returned flags, each a letter followed by its token.
   *
   * @return the flags, in the order received
   */
  public String[] flags() {
    return flags.clone();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(status.name());
    if (value != null) {
      sb.append(' ').append(value.length);
    }
    for (String f : flags) {
      sb.append(' ').append(f);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetaResponse r
        && r.status == status
        && Arrays.equals(r.flags, flags)
        && Arrays.equals(r.value, value);
  }

  @Override
  public int hashCode() {
    return status.hashCode() * 31 + Arrays.hashCode(flags);
  }
}
