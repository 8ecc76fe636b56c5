package io.memlock.spring.boot.autoconfigure;

import io.memlock.MemLock;
import io.memlock.ServerStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the memlock client, per server: {@code UP} when every server takes acquisitions, {@code
 * DOWN} when a server is down (its locks, or in quorum mode some majorities, are unavailable),
 * {@code OUT_OF_SERVICE} when none is down but some is in its restart grace (it takes acquisitions
 * again once its uptime passes {@code memlock.max-lease-time}). The details name each server with
 * its state and the reason. It reads the client's state and sends nothing.
 */
public class MemLockHealthIndicator implements HealthIndicator {
  private final MemLock memlock;

  /**
   * Reports on a client.
   *
   * @param memlock the client
   */
  public MemLockHealthIndicator(MemLock memlock) {
    this.memlock = memlock;
  }

  @Override
  public Health health() {
    List<ServerStatus> servers = memlock.serverStatus();
    Map<String, Object> details = new LinkedHashMap<>();
    boolean down = false;
    boolean grace = false;
    for (ServerStatus s : servers) {
      down |= s.state() == ServerStatus.State.DOWN;
      grace |= s.state() == ServerStatus.State.RESTART_GRACE;
      details.put(s.address(), Map.of("state", s.state().name(), "detail", s.detail()));
    }
    Status status = down ? Status.DOWN : grace ? Status.OUT_OF_SERVICE : Status.UP;
    return Health.status(status)
        .withDetail("servers", details)
        .withDetail("heldLocks", memlock.heldLockCount())
        .build();
  }
}
