package io.memlock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncoderTest {
  private static String encode(Request<?> r, String opaque) {
    ByteBuf buf = Unpooled.buffer();
    r.encode(buf, opaque);
    String s = buf.toString(StandardCharsets.ISO_8859_1);
    buf.release();
    return s;
  }

  private static String encode(Request<?> r) {
    return encode(r, null);
  }

  @Test
  void metaGetWithEveryFlag() {
    MetaGet g =
        MetaGet.of(Key.of("lock:a"))
            .returnValue()
            .returnCas()
            .returnTtl()
            .returnKey()
            .returnSize()
            .touch(30)
            .vivify(10)
            .recacheBelow(5)
            .noBump();
    assertThat(encode(g)).isEqualTo("mg lock:a v c t k s T30 N10 R5 u\r\n");
  }

  @Test
  void metaGetForAStampedeSafeRead() {
    MetaGet g =
        MetaGet.of(Key.of("ns:cache:c:k"))
            .returnValue()
            .returnCas()
            .returnClientFlags()
            .vivify(10)
            .recacheBelow(31);
    assertThat(encode(g)).isEqualTo("mg ns:cache:c:k v c f N10 R31\r\n");
  }

  @Test
  void metaGetBare() {
    assertThat(encode(MetaGet.of(Key.of("k")))).isEqualTo("mg k\r\n");
  }

  @Test
  void quietAndOpaqueComeLast() {
    assertThat(encode(MetaGet.of(Key.of("k")).returnValue().quiet(), "7"))
        .isEqualTo("mg k v q O7\r\n");
    assertThat(encode(MetaGet.of(Key.of("k")).opaque("abc"), "7")).isEqualTo("mg k Oabc\r\n");
  }

  @Test
  void metaSetAddWithTtlAndCas() {
    MetaSet s =
        MetaSet.of(Key.of("lock:a"), "owner".getBytes(StandardCharsets.US_ASCII))
            .mode(SetMode.ADD)
            .ttl(30)
            .returnCas();
    assertThat(encode(s)).isEqualTo("ms lock:a 5 ME T30 c\r\nowner\r\n");
  }

  @Test
  void metaSetEveryMode() {
    for (SetMode m : SetMode.values()) {
      assertThat(encode(MetaSet.of(Key.of("k"), new byte[0]).mode(m)))
          .isEqualTo("ms k 0 M" + m.letter() + "\r\n\r\n");
    }
  }

  @Test
  void metaSetCompareAndSetWithAllFlags() {
    MetaSet s =
        MetaSet.of(Key.of("k"), new byte[] {1, 2, '\r', '\n'})
            .compareCas(1234567890123L)
            .ttl(60)
            .clientFlags(4294967295L)
            .invalidate()
            .returnKey()
            .quiet();
    assertThat(encode(s, "z"))
        .isEqualTo("ms k 4 C1234567890123 T60 F4294967295 I k q Oz\r\n\u0001\u0002\r\n\r\n");
  }

  @Test
  void metaDelete() {
    assertThat(encode(MetaDelete.of(Key.of("k")).compareCas(9))).isEqualTo("md k C9\r\n");
    assertThat(encode(MetaDelete.of(Key.of("k")).invalidate().ttl(30).returnKey().quiet(), "1"))
        .isEqualTo("md k I T30 k q O1\r\n");
  }

  @Test
  void metaArithmetic() {
    MetaArithmetic a =
        MetaArithmetic.of(Key.of("fence:a"))
            .autoCreate(0)
            .initial(-1L)
            .delta(5)
            .returnValue()
            .returnTtl()
            .returnCas();
    assertThat(encode(a)).isEqualTo("ma fence:a N0 J18446744073709551615 D5 v t c\r\n");
    assertThat(encode(MetaArithmetic.of(Key.of("c")).decrement().ttl(9).compareCas(3)))
        .isEqualTo("ma c MD T9 C3\r\n");
  }

  @Test
  void noopVersionAndStats() {
    assertThat(encode(MetaNoop.create())).isEqualTo("mn\r\n");
    assertThat(encode(Version.create())).isEqualTo("version\r\n");
    assertThat(encode(Stats.general())).isEqualTo("stats\r\n");
    assertThat(encode(Stats.group("settings"))).isEqualTo("stats settings\r\n");
    assertThatThrownBy(() -> Stats.group("a b\r\nflush_all"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void base64KeyAddsTheFlag() {
    assertThat(encode(MetaGet.of(Key.of("a b")).returnValue())).isEqualTo("mg YSBi v b\r\n");
    assertThat(encode(MetaSet.of(Key.of("ключ"), new byte[] {'x'})))
        .isEqualTo("ms 0LrQu9GO0Yc= 1 b\r\nx\r\n");
  }

  @Test
  void aFlagSetTwiceIsAMistake() {
    assertThatThrownBy(() -> MetaGet.of(Key.of("k")).returnCas().returnCas())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("flag c is already set");
  }

  @Test
  void badOpaqueTokens() {
    assertThatThrownBy(() -> MetaGet.of(Key.of("k")).opaque(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetaGet.of(Key.of("k")).opaque("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetaGet.of(Key.of("k")).opaque("x".repeat(33)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badClientFlags() {
    assertThatThrownBy(() -> MetaSet.of(Key.of("k"), new byte[0]).clientFlags(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-bit");
  }
}
