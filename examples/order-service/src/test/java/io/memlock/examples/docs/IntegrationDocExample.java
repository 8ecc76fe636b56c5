package io.memlock.examples.docs;

import io.memlock.MemLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * What the framework code examples of README.md and docs/INTEGRATIONS.md that are not whole classes
 * take for granted: a client named {@code memlock}, a {@code meterRegistry}, a {@code lockRegistry}
 * and the application's {@code stock}. {@link DocIntegrationExamplesTest} compiles each such
 * example as the body of a subclass and runs it.
 */
public abstract class IntegrationDocExample {
  private static volatile String servers;

  /** A client of the test's server. */
  protected MemLock memlock;

  /** Where the examples' meters go. */
  protected final MeterRegistry meterRegistry = new SimpleMeterRegistry();

  /** Spring Integration's view of {@link #memlock}. */
  protected LockRegistry lockRegistry;

  /** The application's stock. */
  protected final Stock stock = new Stock();

  void init(MemLock memlock, LockRegistry lockRegistry) {
    this.memlock = memlock;
    this.lockRegistry = lockRegistry;
  }

  static void useServers(String serverList) {
    servers = serverList;
  }

  /**
   * The test's servers; replaces the addresses written in the examples.
   *
   * @return the server list
   */
  public static String docServers() {
    return servers;
  }

  /** An application's stock. */
  public static final class Stock {
    private int left = 10;

    /**
     * Takes items out of the stock.
     *
     * @param item the item
     * @param count how many
     * @return what is left
     */
    public synchronized int deduct(String item, int count) {
      left -= count;
      return left;
    }
  }
}
