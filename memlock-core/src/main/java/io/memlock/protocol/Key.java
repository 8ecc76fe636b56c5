package io.memlock.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A memcached key as it travels on the wire.
 *
 * <p>A key made only of printable ASCII ({@code '!'} to {@code '~'}) of at most 250 bytes is sent
 * as it is. Any other key (with spaces, control bytes or non-ASCII characters) is sent base64
 * encoded with the meta protocol's {@code b} flag; memcached stores the decoded bytes, so such a
 * key names the same item in every client. memcached limits the encoded token to 250 bytes, so a
 * key that needs base64 may have at most 186 bytes. Longer keys, and empty keys, are rejected with
 * an {@link IllegalArgumentException}; no key is ever truncated.
 */
public final class Key {
  /** memcached's longest key token. */
  public static final int MAX_LENGTH = 250;

  /** The longest raw key that still fits {@link #MAX_LENGTH} once base64 encoded. */
  public static final int MAX_BINARY_LENGTH = MAX_LENGTH / 4 * 3;

  private final byte[] token;
  private final boolean base64;

  private Key(byte[] token, boolean base64) {
    this.token = token;
    this.base64 = base64;
  }

  /**
   * Encodes a key given as text (UTF-8).
   *
   * @param key the key
   * @return the wire form
   * @throws IllegalArgumentException if the key is empty, too long, or not well-formed UTF-16 (a
   *     lone surrogate has no UTF-8 encoding, so it would be sent as {@code '?'})
   */
  public static Key of(String key) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    int lone = loneSurrogate(key);
    if (lone >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "key has a lone surrogate \\u%04X at index %d", (int) key.charAt(lone), lone));
    }
    return encode(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Finds the first char of {@code text} that is a surrogate without its pair: such text is not
   * well-formed UTF-16 and has no UTF-8 encoding (Java's encoder writes {@code '?'} for it).
   *
   * @param text the text, not null
   * @return the index of the first lone surrogate, or -1 if there is none
   */
  public static int loneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Encodes a key given as raw bytes.
   *
   * @param key the key bytes
   * @return the wire form
   * @throws IllegalArgumentException if the key is empty or too long
   */
  public static Key of(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    return encode(key.clone());
  }

  private static Key encode(byte[] raw) {
    if (raw.length == 0) {
      throw new IllegalArgumentException("key is empty");
    }
    if (isPlain(raw)) {
      if (raw.length > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "key is " + raw.length + " bytes; memcached keys are at most " + MAX_LENGTH + " bytes");
      }
      return new Key(raw, false);
    }
    if (raw.length > MAX_BINARY_LENGTH) {
      throw new IllegalArgumentException(
          "key is "
              + raw.length
              + " bytes and holds spaces, control or non-ASCII bytes, so it travels base64"
              + " encoded; such keys are at most "
              + MAX_BINARY_LENGTH
              + " bytes");
    }
    return new Key(Base64.getEncoder().encode(raw), true);
  }

  private static boolean isPlain(byte[] raw) {
    for (byte b : raw) {
      if (b < 0x21 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the bytes written on the wire: the key itself, or its base64 form.
   *
   * @return a copy of the wire token
   */
  public byte[] token() {
    return token.clone();
  }

  byte[] tokenUnsafe() {
    return token;
  }

  /**
   * Tells whether the key travels base64 encoded (with the {@code b} flag).
   *
   * @return true for base64
   */
  public boolean isBase64() {
    return base64;
  }

  /**
   * Returns the key's raw bytes, decoded from base64 when needed.
   *
   * @return the raw key
   */
  public byte[] raw() {
    return base64 ? Base64.getDecoder().decode(token) : token.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.base64 == base64 && Arrays.equals(k.token, token);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(token) * 31 + (base64 ? 1 : 0);
  }

  @Override
  public String toString() {
    String t = new String(token, StandardCharsets.US_ASCII);
    return base64 ? "base64:" + t : t;
  }
}
