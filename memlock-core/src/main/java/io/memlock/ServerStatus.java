package io.memlock;

/**
 * Whether one server of a {@link MemLock} client can take acquisitions now; see {@link
 * MemLock#serverStatus()}.
 *
 * @param address the server's {@code host:port}
 * @param state up, down or in restart grace
 * @param detail a sentence saying why, for health pages and logs
 */
public record ServerStatus(String address, State state, String detail) {

  /** The state of a server as this client sees it. */
  public enum State {
    /** Connected, answering and past its restart grace: it takes acquisitions. */
    UP,
    /** Not connected, or a request timed out and it has not answered since. */
    DOWN,
    /**
     * Connected, but not yet taking acquisitions: it started less than {@code maxLeaseTime} ago (so
     * it may have forgotten leases that their holders still trust), or its uptime is still being
     * read after a (re)connection.
     */
    RESTART_GRACE
  }
}
