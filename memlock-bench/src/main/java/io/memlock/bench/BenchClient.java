package io.memlock.bench;

/**
 * One memcached client under test, connected to one server, with the workload's keys and value
 * prepared in the form that client takes, so that no client pays for building them per call.
 *
 * <p>Every operation is synchronous: it returns once memcached has answered. Implementations are
 * called by many benchmark threads at once.
 */
public interface BenchClient extends AutoCloseable {
  /**
   * Reads key {@code i}.
   *
   * @param i the key index
   * @return the value
   * @throws IllegalStateException on a miss
   */
  byte[] get(int i);

  /**
   * Stores the workload's value under key {@code i}, without expiry.
   *
   * @param i the key index
   * @return true once stored
   * @throws IllegalStateException if memcached did not store it
   */
  boolean set(int i);

  /** Disconnects and releases the client's threads. */
  @Override
  void close();

  /**
   * Stores every key and reads each back, so that gets hit and the connection is warm.
   *
   * @throws IllegalStateException if a key does not read back as stored
   */
  default void populate() {
    for (int i = 0; i < Workload.KEY_COUNT; i++) {
      set(i);
    }
    for (int i = 0; i < Workload.KEY_COUNT; i++) {
      Workload.check(get(i), Workload.keyName(i));
    }
  }

  /**
   * Connects a client by name.
   *
   * @param client {@code memlock}, {@code xmemcached} or {@code spymemcached}
   * @param server memcached's {@code host:port}
   * @param memlockConnections memlock's connections per server; 0 for its default
   * @param memlockIoThreads memlock's event loop threads; 0 for its default
   * @return the connected client
   * @throws IllegalArgumentException for an unknown client
   */
  static BenchClient open(
      String client, String server, int memlockConnections, int memlockIoThreads) {
    return switch (client) {
      case "memlock" -> new MemlockBenchClient(server, memlockConnections, memlockIoThreads);
      case "xmemcached" -> new XmemcachedBenchClient(server);
      case "spymemcached" -> new SpymemcachedBenchClient(server);
      default ->
          throw new IllegalArgumentException(
              "unknown client '" + client + "': use memlock, xmemcached or spymemcached");
    };
  }
}
