package io.memlock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyTest {
  @Test
  void printableAsciiPassesAsItIs() {
    Key k = Key.of("lock:orders/42");
    assertThat(k.isBase64()).isFalse();
    assertThat(new String(k.token(), StandardCharsets.US_ASCII)).isEqualTo("lock:orders/42");
    assertThat(k.toString()).isEqualTo("lock:orders/42");
  }

  @Test
  void longestPlainKeyIs250Bytes() {
    assertThat(Key.of("a".repeat(250)).isBase64()).isFalse();
    assertThatThrownBy(() -> Key.of("a".repeat(251)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key is 251 bytes; memcached keys are at most 250 bytes");
  }

  @Test
  void whitespaceControlAndNonAsciiTravelAsBase64() {
    for (String s : new String[] {"a b", "tab\there", "nl\n", "del\u007f", "zażółć", "\u0000"}) {
      Key k = Key.of(s);
      assertThat(k.isBase64()).as(s).isTrue();
      assertThat(new String(k.raw(), StandardCharsets.UTF_8)).isEqualTo(s);
    }
  }

  @Test
  void base64KeysAreLimitedTo186RawBytes() {
    assertThat(Key.of(" ".repeat(186)).token()).hasSize(248);
    assertThatThrownBy(() -> Key.of(" ".repeat(187)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("187 bytes")
        .hasMessageContaining("at most 186 bytes");
  }

  @Test
  void emptyAndNullKeysAreRejected() {
    assertThatThrownBy(() -> Key.of("")).hasMessage("key is empty");
    assertThatThrownBy(() -> Key.of((String) null)).hasMessage("key is null");
    assertThatThrownBy(() -> Key.of(new byte[0])).hasMessage("key is empty");
  }

  @Test
  void rawBytesAreCopied() {
    byte[] raw = {'a', 'b'};
    Key k = Key.of(raw);
    raw[0] = 'z';
    assertThat(k.raw()).containsExactly('a', 'b');
    assertThat(k).isEqualTo(Key.of("ab"));
  }

  @Test
  void loneSurrogatesAreRefusedNotSentAsQuestionMarks() {
    assertThatThrownBy(() -> Key.of("a\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key has a lone surrogate \\uD800 at index 1");
    assertThatThrownBy(() -> Key.of("\uDBFF"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key has a lone surrogate \\uDBFF at index 0");
    assertThat(Key.of("\uD83D\uDE00").raw())
        .isEqualTo("\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
  }
}
