package io.memlock.shedlock;

import io.memlock.MemLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * A child process for the scheduled-job test: a Spring application context with a
 * {@code @Scheduled} job guarded by {@code @SchedulerLock} through {@link MemLockProvider}. It
 * prints {@code ready}, then {@code run <epoch ms>} each time the job runs; a line {@code stop} on
 * stdin closes the context (printing {@code stopped}).
 *
 * <p>Arguments: {@code <servers> <cron> <lockAtLeastFor>}.
 */
public final class ScheduledWorker {
  private ScheduledWorker() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("memlock.servers", args[0]);
    System.setProperty("job.cron", args[1]);
    System.setProperty("job.at-least", args[2]);
    AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(JobConfig.class);
    print("ready");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      // wait for "stop"
    }
    context.close();
    print("stopped");
  }

  static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** The application's configuration. */
  @Configuration
  @EnableScheduling
  @EnableSchedulerLock(defaultLockAtMostFor = "PT10S")
  public static class JobConfig {
    @Bean(destroyMethod = "close")
    public MemLock memlock(Environment env) {
      return MemLock.builder()
          .restartGrace(false)
          .servers(env.getRequiredProperty("memlock.servers"))
          .build();
    }

    @Bean
    public LockProvider lockProvider(MemLock memlock) {
      return new MemLockProvider(memlock);
    }

    @Bean
    public Job job() {
      return new Job();
    }
  }

  /** The job: records each run. */
  public static class Job {
    @Scheduled(cron = "${job.cron}")
    @SchedulerLock(name = "tick", lockAtLeastFor = "${job.at-least}")
    public void run() {
      print("run " + System.currentTimeMillis());
    }
  }
}
