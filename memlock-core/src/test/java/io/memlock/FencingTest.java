package io.memlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.memlock.testing.MemcachedExtension;
import io.memlock.testing.MemcachedServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fencing tokens keep increasing when the lock item or the counter disappears. */
class FencingTest {
  @RegisterExtension final MemcachedExtension memcached = MemcachedExtension.server();

  private MemLock client() {
    return MemLock.builder().restartGrace(false).servers(memcached.serverList()).build();
  }

  private static String raw(MemcachedServer server, String command) throws Exception {
    try (Socket s = new Socket(server.host(), server.port())) {
      s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[256];
      int n = s.getInputStream().read(buf);
      return new String(buf, 0, n, StandardCharsets.US_ASCII).trim();
    }
  }

  private static long fenceOfOneHold(MemLock c, String name) throws Exception {
    try (LockHandle h = c.lock(name).acquire(Duration.ofSeconds(5))) {
      return h.fencingToken();
    }
  }

  @Test
  void afterTheLockItemIsDeletedBehindTheHolder() throws Exception {
    try (MemLock a = client();
        MemLock b = client()) {
      LockHandle first = a.lock("f").acquire(Duration.ZERO);
      assertThat(b.forceRelease("f")).isPresent();
      LockHandle second = b.lock("f").acquire(Duration.ZERO);
      assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
      second.release();
    }
  }

  @Test
  void afterTheCounterIsDeleted() throws Exception {
    try (MemLock a = client()) {
      long before = fenceOfOneHold(a, "f");
      assertThat(raw(memcached.server(0), "md memlock:F:f\r\n")).isEqualTo("HD");
      long after = fenceOfOneHold(a, "f");
      assertThat(after).isGreaterThan(before);
    }
  }

  @Test
  void afterAMemcachedRestart() throws Exception {
    long before;
    try (MemLock a = client()) {
      before = fenceOfOneHold(a, "f");
      fenceOfOneHold(a, "f");
    }
    memcached.server(0).restart();
    try (MemLock b = client()) {
      assertThat(fenceOfOneHold(b, "f")).isGreaterThan(before);
    }
  }

  @Test
  void afterTheCounterIsEvicted() throws Exception {
    try (MemcachedServer small = MemcachedServer.builder().memoryMegabytes(2).start();
        MemLock a = MemLock.builder().restartGrace(false).servers(small.hostAndPort()).build()) {
      long before = fenceOfOneHold(a, "f");
      assertThat(raw(small, "mg memlock:F:f v\r\n")).startsWith("VA");
      // Flood the server with items of the counter's size class until the counter is evicted.
      try (Socket s = new Socket(small.host(), small.port())) {
        OutputStream out = s.getOutputStream();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
          batch.append("ms filler").append(i).append(" 16 q\r\n0123456789abcdef\r\n");
          if (batch.length() > 64 * 1024) {
            out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
            batch.setLength(0);
          }
        }
        batch.append("mn\r\n");
        out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buf = new byte[4096];
        StringBuilder reply = new StringBuilder();
        while (!reply.toString().contains("MN\r\n")) {
          int n = s.getInputStream().read(buf);
          if (n < 0) {
            break;
          }
          reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
      }
      assertThat(Long.parseLong(small.stats().get("evictions"))).isPositive();
      assertThat(raw(small, "mg memlock:F:f v\r\n")).isEqualTo("EN");
      long after = fenceOfOneHold(a, "f");
      assertThat(after).isGreaterThan(before);
    }
  }
}
