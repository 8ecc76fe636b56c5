package io.memlock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
  @Test
  void memcachedDiesWhenItsJvmIsKilled(@TempDir Path tmp) throws Exception {
    try (ChildJvm child = ChildJvm.start(ChildMain.class, "memcached", tmp.toString())) {
      String line = child.awaitLine(l -> l.startsWith("memcached pid "), Duration.ofSeconds(30));
      String[] words = line.split(" ");
      long pid = Long.parseLong(words[2]);
      int port = Integer.parseInt(words[4]);
      ProcessHandle memcached = ProcessHandle.of(pid).orElseThrow();
      assertThat(Ports.accepts(port, 1000)).isTrue();

      child.kill();

      memcached.onExit().get(10, TimeUnit.SECONDS);
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void drainsOutputAndReportsTheExitCode() {
    try (ChildJvm child = ChildJvm.start(ChildMain.class, "exit", "7")) {
      assertThat(child.awaitLine(l -> l.contains("hello"), Duration.ofSeconds(30)))
          .isEqualTo("hello from child");
      assertThat(child.waitFor(Duration.ofSeconds(30))).isEqualTo(7);
      assertThat(child.pid()).isEqualTo(child.process().pid());
      assertThat(child.lines()).contains("hello from child");
    }
  }
}
