package io.memlock.bench.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runner's command line and presets; nothing runs. */
class RunOptionsTest {
  @Test
  void theFullRunCoversEveryScenarioContenderAndCount() {
    RunOptions o = RunOptions.parse();

    assertThat(o.quick()).isFalse();
    assertThat(o.out()).isEqualTo(Path.of("target"));
    assertThat(o.scenarios()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThat(o.threads()).containsExactly(1, 4, 16, 64);
    assertThat(o.hotThreads()).isEqualTo(16);
    assertThat(o.processes()).containsExactly(2, 3, 4);
    assertThat(o.locks()).isEqualTo(100_000);
    assertThat(o.leases())
        .containsEntry(30, Duration.ofSeconds(10))
        .containsEntry(6, Duration.ofSeconds(4));
    assertThat(o.forks()).isEqualTo(1);
    assertThat(o.contenders(1))
        .containsExactly(
            "memlock",
            "memlock-quorum3",
            "raw",
            "raw-memlock-cmds",
            "redisson",
            "redisson-fenced",
            "shedlock");
    assertThat(o.contenders(2)).contains("memlock-quorum3", "shedlock", "raw");
    assertThat(o.needsQuorum()).isTrue();
    assertThat(o.contenders(3)).contains("memlock-nocohort");
    assertThat(o.contenders(2)).doesNotContain("redisson-fenced");
    assertThat(o.contenders(4)).contains("memlock-retry1-4").doesNotContain("redisson-fenced");
    assertThat(o.warmups()).isEqualTo(5);
    assertThat(o.contenders(5)).containsExactly("memlock", "redisson");
    assertThat(o.needsRedis()).isTrue();
  }

  @Test
  void quickKeepsTheMainContendersInThisJvmWithShortIterations() {
    RunOptions o = RunOptions.parse("--quick");

    assertThat(o.quick()).isTrue();
    assertThat(o.forks()).isZero();
    assertThat(o.threads()).containsExactly(16);
    assertThat(o.processes()).containsExactly(2, 4);
    assertThat(o.leases()).containsOnlyKeys(6);
    assertThat(o.locks()).isEqualTo(10_000);
    assertThat(o.contenders(1))
        .containsExactly("memlock", "memlock-quorum3", "raw", "redisson", "shedlock");
    assertThat(o.contenders(3)).doesNotContain("memlock-nocohort");
  }

  @Test
  void contendersAndScenariosCanBeNarrowed() {
    RunOptions o =
        RunOptions.parse(
            "--scenarios",
            "1,4",
            "--contenders",
            "memlock, raw",
            "--out",
            "x",
            "--threads",
            "2,8",
            "--processes",
            "3",
            "--locks",
            "50");

    assertThat(o.contenders(1)).containsExactly("memlock", "raw");
    assertThat(o.contenders(2)).isEmpty();
    assertThat(o.contenders(4)).containsExactly("memlock", "raw");
    assertThat(o.contenders(5)).isEmpty();
    assertThat(o.needsRedis()).isFalse();
    assertThat(o.out()).isEqualTo(Path.of("x"));
    assertThat(o.threads()).containsExactly(2, 8);
    assertThat(o.processes()).containsExactly(3);
    assertThat(o.locks()).isEqualTo(50);
  }

  @Test
  void rejectsBadOptionsNamingTheProblem() {
    assertThatThrownBy(() -> RunOptions.parse("--frobnicate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> RunOptions.parse("--threads"))
        .hasMessageContaining("--threads needs a value");
    assertThatThrownBy(() -> RunOptions.parse("--threads", "0"))
        .hasMessageContaining("thread counts must be 1 to 1024");
    assertThatThrownBy(() -> RunOptions.parse("--processes", "9"))
        .hasMessageContaining("process counts must be 1 to 8");
    assertThatThrownBy(() -> RunOptions.parse("--scenarios", "6"))
        .hasMessageContaining("scenarios are 1 to 5");
    assertThatThrownBy(() -> RunOptions.parse("--contenders", "zookeeper"))
        .hasMessageContaining("unknown contender 'zookeeper'");
    assertThatThrownBy(() -> RunOptions.parse("--locks", "x"))
        .hasMessageContaining("not a list of numbers");
  }
}
