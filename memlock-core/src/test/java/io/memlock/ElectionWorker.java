package io.memlock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child process for the leader election tests: {@code <servers> <name> <leaseSeconds>
 * <maxLeaseSeconds> <replicas>}. Joins the election and prints, with the wall clock in ms:
 *
 * <ul>
 *   <li>{@code granted <term> <ms>} and {@code revoked <ms>} from its listener;
 *   <li>{@code leader <term> <ms>} when a 5 ms poll of {@code isLeader()} first sees true, and
 *       {@code follower <lastTrueMs> <ms>} when it first sees false again, with the time of the
 *       last poll that saw true (the end of the window in which this process believed it led).
 * </ul>
 */
public final class ElectionWorker {
  private ElectionWorker() {}

  public static void main(String[] args) throws Exception {
    MemLock memlock =
        MemLock.builder()
            .servers(args[0])
            .leaseTime(Duration.ofSeconds(Integer.parseInt(args[2])))
            .maxLeaseTime(Duration.ofSeconds(Integer.parseInt(args[3])))
            .replicas(Integer.parseInt(args[4]))
            .build();
    LeaderElection election = memlock.leaderElection(args[1]);
    election.addListener(
        new LeadershipListener() {
          @Override
          public void granted(long term) {
            System.out.println("granted " + term + " " + System.currentTimeMillis());
          }

          @Override
          public void revoked() {
            System.out.println("revoked " + System.currentTimeMillis());
          }
        });
    election.start();
    System.out.println("ready " + election.participantId());
    boolean leading = false;
    long lastTrue = 0;
    while (true) {
      long term = election.term();
      long now = System.currentTimeMillis();
      if (term >= 0) {
        if (!leading) {
          System.out.println("leader " + term + " " + now);
        }
        leading = true;
        lastTrue = now;
      } else if (leading) {
        System.out.println("follower " + lastTrue + " " + now);
        leading = false;
      }
      TimeUnit.MILLISECONDS.sleep(5); // the poll that watches isLeader(), not a synchronization
    }
  }
}
