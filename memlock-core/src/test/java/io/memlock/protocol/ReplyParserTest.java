package io.memlock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memlock.MemcachedErrorException.Kind;
import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
  private final ReplyParser parser = new ReplyParser(8192, 1024, 16);

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }

  private List<Object> parseAll(String s) {
    ByteBuf in = bytes(s);
    List<Object> out = new ArrayList<>();
    Object r;
    while ((r = parser.parse(in)) != null) {
      out.add(r);
    }
    assertThat(in.isReadable()).as("all input consumed").isFalse();
    return out;
  }

  private Object parseOne(String s) {
    List<Object> all = parseAll(s);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void everyMetaStatus() {
    for (MetaStatus st : MetaStatus.values()) {
      if (st == MetaStatus.VA) {
        continue;
      }
      MetaResponse r = (MetaResponse) parseOne(st.name() + "\r\n");
      assertThat(r.status()).isEqualTo(st);
      assertThat(r.flags()).isEmpty();
      assertThat(r.value()).isNull();
    }
  }

  @Test
  void flagsAreReturnedInOrderWithTokens() {
    MetaResponse r = (MetaResponse) parseOne("HD c42 t-1 Oab W Z kfoo\r\n");
    assertThat(r.status()).isEqualTo(MetaStatus.HD);
    assertThat(r.flags()).containsExactly("c42", "t-1", "Oab", "W", "Z", "kfoo");
    assertThat(r.cas()).isEqualTo(42);
    assertThat(r.ttl()).isEqualTo(-1);
    assertThat(r.opaque()).isEqualTo("ab");
    assertThat(r.hasFlag('W')).isTrue();
    assertThat(r.hasFlag('X')).isFalse();
    assertThat(r.token('k')).isEqualTo("foo");
  }

  @Test
  void winStaleAndTokenSentFlagsOfAValueReply() {
    MetaResponse won = (MetaResponse) parseOne("VA 2 c7 f1 X W\r\nhi\r\n");
    assertThat(won.valueAsString()).isEqualTo("hi");
    assertThat(won.clientFlags()).isEqualTo(1);
    assertThat(won.hasFlag('X')).isTrue();
    assertThat(won.hasFlag('W')).isTrue();
    assertThat(won.hasFlag('Z')).isFalse();
    MetaResponse waiting = (MetaResponse) parseOne("VA 0 c9 f0 Z\r\n\r\n");
    assertThat(waiting.value()).isEmpty();
    assertThat(waiting.clientFlags()).isZero();
    assertThat(waiting.hasFlag('Z')).isTrue();
    assertThat(waiting.hasFlag('W')).isFalse();
    assertThat(waiting.hasFlag('X')).isFalse();
    MetaResponse unsigned = (MetaResponse) parseOne("HD f4294967295\r\n");
    assertThat(unsigned.clientFlags()).isEqualTo(4294967295L);
  }

  @Test
  void valueReplyWithBinaryData() {
    MetaResponse r = (MetaResponse) parseOne("VA 4 c7 t30\r\na\r\nb\r\n");
    assertThat(r.status()).isEqualTo(MetaStatus.VA);
    assertThat(r.value()).containsExactly('a', '\r', '\n', 'b');
    assertThat(r.cas()).isEqualTo(7);
    assertThat(parseOne("VA 0\r\n\r\n")).isEqualTo(MetaResponse.of(MetaStatus.VA, new byte[0]));
  }

  @Test
  void arithmeticValue() {
    MetaResponse r = (MetaResponse) parseOne("VA 20\r\n18446744073709551615\r\n");
    assertThat(r.valueAsNumber()).isEqualTo(-1L);
  }

  @Test
  void versionStatsAndEmptyStats() {
    assertThat(parseOne("VERSION 1.6.18\r\n")).isEqualTo(new VersionReply("1.6.18"));
    StatsReply s = (StatsReply) parseOne("STAT pid 12\r\nSTAT uptime 5\r\nSTAT x a b\r\nEND\r\n");
    assertThat(s.stats())
        .containsExactly(Map.entry("pid", "12"), Map.entry("uptime", "5"), Map.entry("x", "a b"));
    assertThat(((StatsReply) parseOne("END\r\n")).stats()).isEmpty();
  }

  @Test
  void errorLines() {
    assertThat(parseOne("ERROR\r\n")).isEqualTo(new ErrorReply(Kind.ERROR, ""));
    assertThat(parseOne("CLIENT_ERROR bad command line format\r\n"))
        .isEqualTo(new ErrorReply(Kind.CLIENT_ERROR, "bad command line format"));
    assertThat(parseOne("SERVER_ERROR out of memory storing object\r\n"))
        .isEqualTo(new ErrorReply(Kind.SERVER_ERROR, "out of memory storing object"));
  }

  @Test
  void pipelinedRepliesInOneBuffer() {
    List<Object> all = parseAll("HD c1\r\nVA 2 O3\r\nhi\r\nEN\r\nMN\r\n");
    assertThat(all)
        .extracting(o -> ((MetaResponse) o).status())
        .containsExactly(MetaStatus.HD, MetaStatus.VA, MetaStatus.EN, MetaStatus.MN);
  }

  @Test
  void everySplitPointWaitsForTheRest() {
    String whole = "HD c1\r\nVA 5 t3\r\nab\r\nc\r\nSTAT a 1\r\nSTAT b 2\r\nEND\r\nVERSION 1.6\r\n";
    for (int split = 0; split <= whole.length(); split++) {
      ReplyParser p = new ReplyParser();
      ByteBuf in = Unpooled.buffer();
      List<Object> out = new ArrayList<>();
      in.writeBytes(whole.substring(0, split).getBytes(StandardCharsets.ISO_8859_1));
      Object r;
      while ((r = p.parse(in)) != null) {
        out.add(r);
      }
      in.writeBytes(whole.substring(split).getBytes(StandardCharsets.ISO_8859_1));
      while ((r = p.parse(in)) != null) {
        out.add(r);
      }
      assertThat(out).as("split at %d", split).hasSize(4);
      assertThat(((MetaResponse) out.get(1)).valueAsString()).isEqualTo("ab\r\nc");
      assertThat(((StatsReply) out.get(2)).stats()).hasSize(2);
    }
  }

  @Test
  void garbageIsAProtocolException() {
    for (String bad :
        new String[] {
          "HELLO\r\n",
          "HDX\r\n",
          "HD  c1\r\n",
          "HD c1 \r\n",
          "HD 1c\r\n",
          "hd\r\n",
          "HD\n",
          "\n",
          "VA\r\n",
          "VA x\r\n",
          "VA -1\r\n",
          "VA 99999999999\r\n",
          "VA 2\r\nabc\r\n",
          "HD \u0001\r\n",
          "STAT a 1\r\nHD\r\n",
          "STAT nospace\r\n",
        }) {
      ReplyParser p = new ReplyParser(8192, 1024, 16);
      assertThatThrownBy(
              () -> {
                ByteBuf in = bytes(bad);
                while (p.parse(in) != null) {}
              })
          .as(bad)
          .isInstanceOf(MemcachedProtocolException.class);
    }
  }

  @Test
  void limitsAreEnforced() {
    assertThatThrownBy(() -> parser.parse(bytes("VA 1025\r\n")))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("more than the limit of 1024");
    ReplyParser shortLines = new ReplyParser(16, 1024, 16);
    assertThatThrownBy(() -> shortLines.parse(bytes("HD " + "c".repeat(20))))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("longer than 16 bytes");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      many.append("STAT s").append(i).append(" 1\r\n");
    }
    assertThatThrownBy(() -> parser.parse(bytes(many.toString())))
        .isInstanceOf(MemcachedProtocolException.class)
        .hasMessageContaining("longer than 16 lines");
  }

  @Test
  void incompleteLineWaits() {
    ByteBuf in = bytes("HD c1");
    assertThat(parser.parse(in)).isNull();
    assertThat(in.readerIndex()).isZero();
    in.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(parser.parse(in)).isInstanceOf(MetaResponse.class);
  }
}
