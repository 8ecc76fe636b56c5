package io.memlock.spring.integration;

import io.memlock.MemLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * A child process for the leader-election tests: a Spring application context with a {@link
 * MemLockRegistry} and a {@link LockRegistryLeaderInitiator}. It prints {@code started}, then
 * {@code granted <epoch ms>} and {@code revoked <epoch ms>} as the initiator tells its candidate; a
 * line {@code stop} on stdin closes the context (printing {@code stopped}).
 *
 * <p>Arguments: {@code <servers> <role> <leaseSeconds> <id>}.
 */
public final class LeaderWorker {
  private LeaderWorker() {}

  public static void main(String[] args) throws Exception {
    String servers = args[0];
    String role = args[1];
    int lease = Integer.parseInt(args[2]);
    String id = args[3];
    MemLock memlock =
        MemLock.builder()
            .restartGrace(false)
            .servers(servers)
            .leaseTime(Duration.ofSeconds(lease))
            .build();
    GenericApplicationContext context = new GenericApplicationContext();
    context.registerBean(MemLock.class, () -> memlock);
    context.registerBean(MemLockRegistry.class, () -> new MemLockRegistry(memlock, "leader"));
    context.registerBean(
        LockRegistryLeaderInitiator.class,
        () ->
            new LockRegistryLeaderInitiator(
                context.getBean(MemLockRegistry.class), new PrintingCandidate(id, role)));
    context.refresh();
    print("started");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("stop")) {
        break;
      }
    }
    context.close();
    memlock.close();
    print("stopped");
  }

  /** Prints leadership changes as the initiator reports them, on its own thread. */
  static final class PrintingCandidate extends DefaultCandidate {
    PrintingCandidate(String id, String role) {
      super(id, role);
    }

    @Override
    public void onGranted(Context ctx) {
      print("granted " + System.currentTimeMillis());
    }

    @Override
    public void onRevoked(Context ctx) {
      print("revoked " + System.currentTimeMillis());
    }
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
