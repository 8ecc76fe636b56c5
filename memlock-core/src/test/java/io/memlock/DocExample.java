package io.memlock;

import io.memlock.testing.MemcachedExtension;
import java.time.Duration;

/**
 * What the code examples of README.md and docs/ take for granted: a client named {@code memlock}
 * (and {@code memcached}, the test's servers), and the application's own objects ({@code stock},
 * {@code job}, {@code table}, ...), here as stand-ins that do nothing. {@link DocExamplesTest}
 * compiles every example as the body of a subclass and runs it.
 */
public abstract class DocExample {
  /** A client of the test's servers. */
  protected MemLock memlock;

  /** The test's memcached servers. */
  protected MemcachedExtension memcached;

  protected final Stock stock = new Stock();
  protected final Object order = new Object();
  protected final Job job = new Job();
  protected final Log log = new Log();
  protected final Table table = new Table();
  protected final Object document = new Object();
  protected final Renderer renderer = new Renderer();
  protected final Database database = new Database();

  void init(MemLock memlock, MemcachedExtension memcached) {
    this.memlock = memlock;
    this.memcached = memcached;
  }

  /** The test's servers; replaces the addresses written in the examples. */
  protected String docServers() {
    return memcached.serverList();
  }

  protected void export(long fencingToken) {}

  protected String render() {
    return "<html></html>";
  }

  protected void render(Object document) {}

  protected Object tooManyRequests(Duration retryAfter) {
    return retryAfter;
  }

  protected void sendBatchOfFive() {}

  protected void work() {}

  protected void runBatch(long term) {}

  protected final Scheduler scheduler = new Scheduler();

  /** An application's scheduler, started while its process leads. */
  public static final class Scheduler {
    public void start(long term) {}

    public void stop() {}
  }

  /** An application's stock. */
  public static final class Stock {
    private long left = 10;

    public void deduct(Object order, long fencingToken) {
      left--;
    }

    public long read() {
      return left;
    }

    public void write(long left) {
      this.left = left;
    }
  }

  /** An application's job. */
  public static final class Job {
    public void run(long fencingToken) {}

    public void abort() {}
  }

  /** A logger. */
  public static final class Log {
    public void info(String format, Object arg) {}
  }

  /** An application's table. */
  public static final class Table {
    public Object read() {
      return "row";
    }

    public void reload(long fencingToken) {}
  }

  /** An application's renderer. */
  public static final class Renderer {
    public byte[] render() {
      return new byte[] {1};
    }
  }

  /** An application's database. */
  public static final class Database {
    public String price(String sku) {
      return "9.99";
    }
  }
}
