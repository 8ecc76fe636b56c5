package io.memlock.protocol;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Netty decoder of the reply to {@code lru_crawler metadump}: one line per item, {@code key=<key>
 * exp=... la=... cas=...}, each ended by {@code \n} alone, then {@code END\r\n}. The key is
 * URI-encoded ({@code %20} for a space); memcached shows the raw bytes of a key that was sent
 * base64. Or a single refusal line instead: {@code BUSY ...}, {@code BADCLASS ...}, {@code ERROR
 * ...}, {@code CLIENT_ERROR ...} (memcached 1.6.18 says {@code CLIENT_ERROR lru crawler disabled}),
 * or {@code SERVER_ERROR ...}.
 *
 * <p>It emits a {@code byte[]} (the decoded key) for each item whose key starts with the given
 * prefix, so that a dump of millions of unrelated items allocates nothing for them, and then one
 * {@link End}. Strict and bounded: a line is at most {@code maxLineLength} bytes of printable
 * ASCII; anything else throws {@link MemcachedProtocolException}.
 */
public final class MetadumpDecoder extends ByteToMessageDecoder {
  /**
   * The end of a dump.
   *
   * @param refusal null when the dump ended with {@code END}; else the line memcached sent instead
   *     of a dump ({@code BUSY currently processing crawler request}, ...)
   */
  public record End(@Nullable String refusal) {}

  private static final byte[] KEY = "key=".getBytes(StandardCharsets.US_ASCII);

  private final byte[] prefix;
  private final int maxLineLength;
  private boolean ended;

  /**
   * Creates the decoder.
   *
   * @param prefix the raw key prefix of the items to report (may be empty)
   * @param maxLineLength the longest line accepted, without its line end
   */
  public MetadumpDecoder(byte[] prefix, int maxLineLength) {
    this.prefix = prefix.clone();
    this.maxLineLength = maxLineLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!ended) {
      int start = in.readerIndex();
      int end = Math.min(in.writerIndex(), start + maxLineLength + 2);
      int lf = in.indexOf(start, end, (byte) '\n');
      if (lf < 0) {
        if (in.readableBytes() > maxLineLength + 1) {
          throw new MemcachedProtocolException(
              "metadump line longer than " + maxLineLength + " bytes");
        }
        return;
      }
      int length = lf - start;
      if (length > 0 && in.getByte(lf - 1) == '\r') {
        length--;
      }
      in.readerIndex(lf + 1);
      Object item = line(in, start, length);
      if (item != null) {
        out.add(item);
      }
    }
    // Nothing follows the end of a dump; the connection is closed after it.
    in.skipBytes(in.readableBytes());
  }

  private @Nullable Object line(ByteBuf in, int start, int length) {

    for (int i = start; i < start + length; i++) {
      byte b = in.getByte(i);
      if (b < 0x20 || b > 0x7e) {
        throw new MemcachedProtocolException(
            "metadump line holds a non-printable byte: " + text(in, start, Math.min(length, 64)));
      }
    }
    if (startsWith(in, start, length, KEY)) {
      int keyEnd = start + KEY.length;
      while (keyEnd < start + length && in.getByte(keyEnd) != ' ') {
        keyEnd++;
      }
      byte[] key = uriDecode(in, start + KEY.length, keyEnd, start, length);
      return startsWith(key, prefix) ? key : null;
    }
    String line = text(in, start, length);
    ended = true;
    if (line.equals("END")) {
      return new End(null);
    }
    for (String refusal : REFUSALS) {
      if (line.equals(refusal) || line.startsWith(refusal + " ")) {
        return new End(line);
      }
    }
    ended = false;
    throw new MemcachedProtocolException(
        "unexpected line in a metadump: " + (line.length() > 64 ? line.substring(0, 64) : line));
  }

  private static final String[] REFUSALS = {
    "BUSY", "BADCLASS", "ERROR", "CLIENT_ERROR", "SERVER_ERROR"
  };

  private static byte[] uriDecode(ByteBuf in, int from, int to, int lineStart, int lineLength) {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b == '%') {
        int hi = i + 2 < to ? Character.digit(in.getByte(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(in.getByte(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new MemcachedProtocolException(
              "bad %-escape in a metadump key: " + text(in, lineStart, Math.min(lineLength, 64)));
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    if (n == 0) {
      throw new MemcachedProtocolException(
          "empty key in a metadump line: " + text(in, lineStart, Math.min(lineLength, 64)));
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static boolean startsWith(ByteBuf in, int start, int length, byte[] p) {
    if (length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (in.getByte(start + i) != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] key, byte[] p) {
    if (key.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (key[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static String text(ByteBuf in, int start, int length) {
    return in.toString(start, length, StandardCharsets.US_ASCII);
  }
}
