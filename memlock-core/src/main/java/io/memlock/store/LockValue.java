package io.memlock.store;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The value of a lock item: {@code memlock1 <token> <fence> <holder>}, ASCII except the holder,
 * which is UTF-8. The token is 32 lowercase hex digits (128 bits unique to the acquisition); the
 * fence is the holder's counter value in decimal, or {@code -} until the holder publishes it. See
 * docs/PROTOCOL.md.
 *
 * @param token the holder's 16-byte token
 * @param fence the fence counter value, or -1 when not published
 * @param holder the holder's description
 */
@SuppressWarnings("ArrayRecordComponent") // never compared with equals: hasToken compares tokens
public record LockValue(byte[] token, long fence, String holder) {
  static final String MAGIC = "memlock1";
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_HOLDER_BYTES = 200;

  byte[] encode() {
    // Written byte by byte: no intermediate String for the common case of an ASCII holder.
    int holderBytes = asciiLength(holder);
    byte[] holderUtf8 = holderBytes < 0 ? holder.getBytes(StandardCharsets.UTF_8) : null;
    if (holderUtf8 != null) {
      holderBytes = holderUtf8.length;
    }
    int fenceDigits = fence < 0 ? 1 : digits(fence);
    byte[] out =
        new byte[MAGIC.length() + 1 + 2 * token.length + 1 + fenceDigits + 1 + holderBytes];
    int i = 0;
    for (int k = 0; k < MAGIC.length(); k++) {
      out[i++] = (byte) MAGIC.charAt(k);
    }
    out[i++] = ' ';
    for (byte b : token) {
      out[i++] = HEX_DIGITS[(b >> 4) & 0xf];
      out[i++] = HEX_DIGITS[b & 0xf];
    }
    out[i++] = ' ';
    if (fence < 0) {
      out[i++] = '-';
    } else {
      long f = fence;
      for (int k = i + fenceDigits - 1; k >= i; k--) {
        out[k] = (byte) ('0' + f % 10);
        f /= 10;
      }
      i += fenceDigits;
    }
    out[i++] = ' ';
    if (holderUtf8 != null) {
      System.arraycopy(holderUtf8, 0, out, i, holderBytes);
    } else {
      for (int k = 0; k < holderBytes; k++) {
        out[i++] = (byte) holder.charAt(k);
      }
    }
    return out;
  }

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** The length of {@code s} if it is all ASCII, else -1. */
  private static int asciiLength(String s) {
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) >= 0x80) {
        return -1;
      }
    }
    return s.length();
  }

  /** The number of decimal digits of a non-negative number. */
  private static int digits(long n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }

  public LockValue withFence(long f) {
    return new LockValue(token, f, holder);
  }

  /** Parses a lock item's value; null if it is not a memlock lock value. */
  public static @Nullable LockValue decode(byte @Nullable [] value) {
    if (value == null) {
      return null;
    }
    String s = new String(value, StandardCharsets.UTF_8);
    String[] parts = s.split(" ", 4);
    if (parts.length < 4 || !parts[0].equals(MAGIC) || parts[1].length() != 32) {
      return null;
    }
    try {
      byte[] token = HEX.parseHex(parts[1]);
      long fence = parts[2].equals("-") ? -1 : Long.parseLong(parts[2]);
      return new LockValue(token, fence, parts[3]);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  boolean hasToken(byte[] other) {
    return java.util.Arrays.equals(token, other);
  }

  /** Makes a holder description printable and bounded. */
  public static String sanitizeHolder(String holder) {
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < holder.length(); i++) {
      char c = holder.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        c = '?';
      }
      int len = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      if (bytes + len > MAX_HOLDER_BYTES) {
        break;
      }
      bytes += len;
      sb.append(c);
    }
    return sb.length() == 0 ? "?" : sb.toString();
  }
}
