package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptedServerTest {
  private final ScriptedServer server = ScriptedServer.start();

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void recordsRequestLinesAndMsDataBlocks() throws IOException {
    try (RawClient client = RawClient.connect(server.address())) {
      client.send("mg foo v\r\nms bar 4 T10\r\na\r\nb\r\nmn\r\n");
      assertThat(server.awaitRequests(3, Duration.ofSeconds(5)))
          .containsExactly("mg foo v", "ms bar 4 T10", "mn");
    }
    assertThat(server.data(0)).isEmpty();
    assertThat(new String(server.data(1), StandardCharsets.UTF_8)).isEqualTo("a\r\nb");
    assertThat(server.requests()).hasSize(3);
    assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + server.port());
  }

  @Test
  void awaitRequestsFailsWhenTooFewArrive() {
    assertThatThrownBy(() -> server.awaitRequests(1, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void repliesHangsAndRepliesInChunks() throws IOException {
    byte[] value = "VA 5\r\nhello\r\n".getBytes(StandardCharsets.UTF_8);
    server.reply("HD\r\n").hang().replyInChunks(value, 2).reply("EN\r\n".getBytes());
    try (RawClient client = RawClient.connect(server.address())) {
      assertThat(client.call("ms a 1\r\nx")).isEqualTo("HD");
      client.timeout(300);
      assertThatThrownBy(() -> client.call("mg a")).isInstanceOf(SocketTimeoutException.class);
      client.timeout(5000);
      assertThat(client.call("mg a v")).isEqualTo("VA 5");
      assertThat(client.line()).isEqualTo("hello");
      assertThat(client.call("mn")).isEqualTo("EN");
    }
  }

  @Test
  void answersNothingWhenTheScriptIsEmpty() throws IOException {
    try (RawClient client = RawClient.connect(server.address()).timeout(300)) {
      assertThatThrownBy(() -> client.call("mn")).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void closesConnectionsAndContinuesTheScriptAcrossReconnects() throws IOException {
    server.replyAndClose("SERVER_ERROR bye\r\n").closeConnection().reply("HD\r\n");
    try (RawClient client = RawClient.connect(server.address())) {
      client.send("mn\r\n");
      assertThat(client.readToEnd()).isEqualTo("SERVER_ERROR bye\r\n");
    }
    try (RawClient client = RawClient.connect(server.address())) {
      client.send("mn\r\n");
      assertThat(client.readToEnd()).isEmpty();
    }
    try (RawClient client = RawClient.connect(server.address())) {
      assertThat(client.call("mn")).isEqualTo("HD");
    }
    assertThat(server.connections()).isEqualTo(3);
    assertThat(server.requests()).containsExactly("mn", "mn", "mn");
  }
}
