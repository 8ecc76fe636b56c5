package io.memlock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random, mutated and truncated replies to the parser: it may return replies, wait for more
 * bytes, or throw {@link MemcachedProtocolException}, and nothing else; it never loops forever and
 * never holds more than its limits.
 */
class ReplyParserFuzzTest {
  private static final String[] VALID = {
    "HD\r\n",
    "HD c12 t30 Oab\r\n",
    "VA 3 c1\r\nabc\r\n",
    "VA 0\r\n\r\n",
    "EN\r\n",
    "NF\r\n",
    "NS c0\r\n",
    "EX\r\n",
    "MN\r\n",
    "VERSION 1.6.18\r\n",
    "STAT pid 1\r\nSTAT uptime 2\r\nEND\r\n",
    "END\r\n",
    "ERROR\r\n",
    "CLIENT_ERROR bad data chunk\r\n",
    "SERVER_ERROR out of memory\r\n",
  };

  private static final int MAX_LINE = 256;
  private static final int MAX_VALUE = 512;

  @Test
  void randomBytesOnlyEverThrowTheProtocolException() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 20_000; round++) {
      byte[] data = new byte[random.nextInt(600)];
      random.nextBytes(data);
      if (random.nextBoolean()) {
        // Bias towards plausible line structure.
        for (int i = 0; i < data.length; i++) {
          int r = random.nextInt(10);
          data[i] = r < 6 ? (byte) (' ' + random.nextInt(95)) : r < 8 ? (byte) '\r' : (byte) '\n';
        }
      }
      feed(data, random, seed);
    }
  }

  @Test
  void mutatedAndTruncatedValidRepliesOnlyEverThrowTheProtocolException() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(5);
      for (int i = 0; i < n; i++) {
        sb.append(VALID[random.nextInt(VALID.length)]);
      }
      byte[] data = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
      int mutations = random.nextInt(4);
      for (int i = 0; i < mutations && data.length > 0; i++) {
        data[random.nextInt(data.length)] = (byte) random.nextInt(256);
      }
      int cut = random.nextInt(data.length + 1);
      byte[] truncated = new byte[cut];
      System.arraycopy(data, 0, truncated, 0, cut);
      feed(truncated, random, seed);
    }
  }

  private static void feed(byte[] data, Random random, long seed) {
    ReplyParser parser = new ReplyParser(MAX_LINE, MAX_VALUE, 8);
    ByteBuf in = Unpooled.buffer();
    int pos = 0;
    try {
      while (pos < data.length) {
        int chunk = 1 + random.nextInt(64);
        int len = Math.min(chunk, data.length - pos);
        in.writeBytes(data, pos, len);
        pos += len;
        int guard = 0;
        Object reply;
        while ((reply = parser.parse(in)) != null) {
          assertThat(reply)
              .isInstanceOfAny(
                  MetaResponse.class, VersionReply.class, StatsReply.class, ErrorReply.class);
          if (++guard > data.length + 1) {
            fail("parser returned more replies than there are bytes (seed " + seed + ")");
          }
        }
        // Bounded memory: what the parser leaves unconsumed never exceeds one line plus one value.
        assertThat(in.readableBytes())
            .as("seed %d", seed)
            .isLessThanOrEqualTo(MAX_LINE + 2 + MAX_VALUE + 2 + 64);
        in.discardReadBytes();
      }
    } catch (MemcachedProtocolException expected) {
      // the only failure allowed
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("seed " + seed + ": unexpected " + e, e);
    } finally {
      in.release();
    }
  }
}
