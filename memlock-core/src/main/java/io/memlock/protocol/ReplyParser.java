package io.memlock.protocol;

import io.memlock.MemcachedErrorException.Kind;
import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses memcached replies from a byte buffer: meta replies ({@link MetaResponse}), {@code VERSION}
 * ({@link VersionReply}), {@code STAT}...{@code END} ({@link StatsReply}) and error lines ({@link
 * ErrorReply}).
 *
 * <p>Strict and bounded: a line must end in {@code \r\n}, hold only printable ASCII and be at most
 * {@code maxLineLength} bytes; a value block at most {@code maxValueLength} bytes; a stats reply at
 * most {@code maxStatLines} lines. Anything else throws {@link MemcachedProtocolException}, after
 * which the parser and the connection must be discarded.
 */
public final class ReplyParser {
  private final int maxLineLength;
  private final int maxValueLength;
  private final int maxStatLines;
  private @Nullable Map<String, String> stats;

  /**
   * Creates a parser.
   *
   * @param maxLineLength the longest reply line accepted, without {@code \r\n}
   * @param maxValueLength the largest value block accepted
   * @param maxStatLines the most {@code STAT} lines in one stats reply
   */
  public ReplyParser(int maxLineLength, int maxValueLength, int maxStatLines) {
    this.maxLineLength = maxLineLength;
    this.maxValueLength = maxValueLength;
    this.maxStatLines = maxStatLines;
  }

  /** Creates a parser with limits that fit memcached's defaults (1 MiB items). */
  public ReplyParser() {
    this(8192, 1024 * 1024, 4096);
  }

  /**
   * Tells whether a stats reply has begun but not ended.
   *
   * @return true in the middle of a stats reply
   */
  public boolean isMidReply() {
    return stats != null;
  }

  /**
   * Returns the next whole reply in the buffer and consumes it, or returns null and consumes at
   * most finished {@code STAT} lines when the buffer does not hold a whole reply yet.
   *
   * @param in the received bytes
   * @return the reply, or null
   * @throws MemcachedProtocolException for a reply that breaks the protocol or the limits
   */
  public @Nullable Object parse(ByteBuf in) {
    while (true) {
      int start = in.readerIndex();
      int end = Math.min(in.writerIndex(), start + maxLineLength + 2);
      int lf = in.indexOf(start, end, (byte) '\n');
      if (lf < 0) {
        if (in.readableBytes() > maxLineLength + 1) {
          throw new MemcachedProtocolException(
              "reply line longer than " + maxLineLength + " bytes: " + preview(in, start, 64));
        }
        return null;
      }
      if (lf == start || in.getByte(lf - 1) != '\r') {
        throw new MemcachedProtocolException(
            "reply line not ended by \\r\\n: " + preview(in, start, lf - start + 1));
      }
      int length = lf - 1 - start;
      checkPrintable(in, start, length);
      if (stats != null) {
        if (parseStatLine(stats, in, start, length)) {
          in.readerIndex(lf + 1);
          continue;
        }
        in.readerIndex(lf + 1);
        StatsReply reply = new StatsReply(Collections.unmodifiableMap(stats));
        stats = null;
        return reply;
      }
      MetaStatus status = metaStatus(in, start, length);
      if (status == MetaStatus.VA) {
        return parseValue(in, start, length, lf);
      }
      if (status != null) {
        String[] flags = parseFlags(in, start + 2, length - 2);
        in.readerIndex(lf + 1);
        return new MetaResponse(status, flags, null);
      }
      String line = in.toString(start, length, StandardCharsets.US_ASCII);
      Object reply = parseOther(line);
      if (reply == null) {
        stats = new LinkedHashMap<>();
        parseStatLine(stats, in, start, length);
        in.readerIndex(lf + 1);
        continue;
      }
      in.readerIndex(lf + 1);
      return reply;
    }
  }

  private @Nullable Object parseValue(ByteBuf in, int start, int length, int lf) {
    int sizeStart = start + 3;
    if (length < 4 || in.getByte(start + 2) != ' ') {
      throw new MemcachedProtocolException(
          "VA reply without a size: " + preview(in, start, length));
    }
    int sizeEnd = sizeStart;
    while (sizeEnd < start + length && in.getByte(sizeEnd) != ' ') {
      sizeEnd++;
    }
    long size = parseSize(in, sizeStart, sizeEnd, start, length);
    if (size > maxValueLength) {
      throw new MemcachedProtocolException(
          "VA reply announces " + size + " bytes, more than the limit of " + maxValueLength);
    }
    int dataStart = lf + 1;
    int needed = dataStart + (int) size + 2;
    if (in.writerIndex() < needed) {
      return null;
    }
    if (in.getByte(needed - 2) != '\r' || in.getByte(needed - 1) != '\n') {
      throw new MemcachedProtocolException(
          "value block of " + size + " bytes not ended by \\r\\n: " + preview(in, start, length));
    }
    String[] flags = parseFlags(in, sizeEnd, start + length - sizeEnd);
    byte[] value = new byte[(int) size];
    in.getBytes(dataStart, value);
    in.readerIndex(needed);
    return new MetaResponse(MetaStatus.VA, flags, value);
  }

  private static long parseSize(ByteBuf in, int from, int to, int start, int length) {
    if (to == from || to - from > 10) {
      throw new MemcachedProtocolException(
          "VA reply with a bad size: " + preview(in, start, length));
    }
    long size = 0;
    for (int i = from; i < to; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        throw new MemcachedProtocolException(
            "VA reply with a bad size: " + preview(in, start, length));
      }
      size = size * 10 + (b - '0');
    }
    return size;
  }

  private static @Nullable MetaStatus metaStatus(ByteBuf in, int start, int length) {
    if (length < 2 || (length > 2 && in.getByte(start + 2) != ' ')) {
      return null;
    }
    int a = in.getByte(start);
    int b = in.getByte(start + 1);
    return switch (a) {
      case 'H' -> b == 'D' ? MetaStatus.HD : null;
      case 'V' -> b == 'A' ? MetaStatus.VA : null;
      case 'E' -> b == 'N' ? MetaStatus.EN : b == 'X' ? MetaStatus.EX : null;
      case 'N' -> b == 'F' ? MetaStatus.NF : b == 'S' ? MetaStatus.NS : null;
      case 'M' -> b == 'N' ? MetaStatus.MN : null;
      default -> null;
    };
  }

  /** Parses " f1 f2 ..." (each flag a letter and an optional token) from {@code from}. */
  private static String[] parseFlags(ByteBuf in, int from, int count) {
    if (count == 0) {
      return NO_FLAGS;
    }
    List<String> flags = new ArrayList<>(4);
    int end = from + count;
    int i = from;
    while (i < end) {
      if (in.getByte(i) != ' ' || i + 1 >= end || in.getByte(i + 1) == ' ') {
        throw new MemcachedProtocolException(
            "malformed flags in reply: " + preview(in, from, count));
      }
      int tokenStart = i + 1;
      int tokenEnd = tokenStart;
      while (tokenEnd < end && in.getByte(tokenEnd) != ' ') {
        tokenEnd++;
      }
      byte letter = in.getByte(tokenStart);
      if (!((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z'))) {
        throw new MemcachedProtocolException(
            "reply flag does not start with a letter: " + preview(in, from, count));
      }
      flags.add(in.toString(tokenStart, tokenEnd - tokenStart, StandardCharsets.US_ASCII));
      i = tokenEnd;
    }
    return flags.toArray(NO_FLAGS);
  }

  private static final String[] NO_FLAGS = new String[0];

  /** Returns the reply for a non-meta line, or null for the first STAT line of a stats reply. */
  private static @Nullable Object parseOther(String line) {
    if (line.startsWith("STAT ")) {
      return null;
    }
    if (line.equals("END")) {
      return new StatsReply(Map.of());
    }
    if (line.startsWith("VERSION ")) {
      return new VersionReply(line.substring(8));
    }
    if (line.equals("ERROR")) {
      return new ErrorReply(Kind.ERROR, "");
    }
    if (line.startsWith("CLIENT_ERROR")) {
      return new ErrorReply(Kind.CLIENT_ERROR, line.substring(12).trim());
    }
    if (line.startsWith("SERVER_ERROR")) {
      return new ErrorReply(Kind.SERVER_ERROR, line.substring(12).trim());
    }
    throw new MemcachedProtocolException("unexpected reply line: " + sanitize(line, 64));
  }

  /** Adds a STAT line to the stats; returns false for END; throws for anything else. */
  private boolean parseStatLine(Map<String, String> stats, ByteBuf in, int start, int length) {

    String line = in.toString(start, length, StandardCharsets.US_ASCII);
    if (line.equals("END")) {
      return false;
    }
    int space = line.indexOf(' ', 5);
    if (!line.startsWith("STAT ") || space < 0) {
      throw new MemcachedProtocolException(
          "expected a STAT line or END in a stats reply, got: " + sanitize(line, 64));
    }
    if (stats.size() >= maxStatLines) {
      throw new MemcachedProtocolException("stats reply longer than " + maxStatLines + " lines");
    }
    stats.put(line.substring(5, space), line.substring(space + 1));
    return true;
  }

  private static void checkPrintable(ByteBuf in, int start, int length) {
    for (int i = start; i < start + length; i++) {
      byte b = in.getByte(i);
      if (b < 0x20 || b > 0x7e) {
        throw new MemcachedProtocolException(
            "reply line holds a non-printable byte: " + preview(in, start, length));
      }
    }
  }

  private static String preview(ByteBuf in, int start, int length) {
    int n = Math.min(length, Math.min(64, in.writerIndex() - start));
    byte[] bytes = new byte[Math.max(0, n)];
    in.getBytes(start, bytes);
    return sanitize(new String(bytes, StandardCharsets.ISO_8859_1), 64);
  }

  private static String sanitize(String s, int max) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c <= 0x7e) {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    if (s.length() > max) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }
}
