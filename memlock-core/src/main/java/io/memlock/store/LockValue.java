package io.memlock.store;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The value of a lock item: {@code memlock1 <token> <fence> <holder>}, ASCII except the holder,
 * which is UTF-8. The token is 32 lowercase hex digits (128 random bits); the fence is the holder's
 * counter value in decimal, or {@code -} until the holder publishes it. See docs/PROTOCOL.md.
 *
 * @param token the holder's 16-byte random token
 * @param fence the fence counter value, or -1 when not published
 * @param holder the holder's description
 */
@SuppressWarnings("ArrayRecordComponent") // never compared with equals: hasToken compares tokens
public record LockValue(byte[] token, long fence, String holder) {
  static final String MAGIC = "memlock1";
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_HOLDER_BYTES = 200;

  byte[] encode() {
    String s =
        MAGIC
            + " "
            + HEX.formatHex(token)
            + " "
            + (fence < 0 ? "-" : Long.toString(fence))
            + " "
            + holder;
    return s.getBytes(StandardCharsets.UTF_8);
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
