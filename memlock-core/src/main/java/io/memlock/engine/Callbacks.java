package io.memlock.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Where user code runs: continuations of public futures and lock-lost listeners. Tasks go to the
 * configured callback executor; a task it rejects (a bounded executor that is full, or one shut
 * down, as the client's own is by {@code MemLock.close()}) runs on a fallback thread of this client
 * instead. Never on the calling thread: callers are Netty I/O threads and the scheduler, which user
 * code must not block, and a dropped task would leave a future that never completes.
 */
final class Callbacks implements Executor {
  private final Executor executor;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile boolean closing;

  /** Created on first use; threads end after a second idle and never keep the JVM alive. */
  private volatile @Nullable ThreadPoolExecutor fallback;

  Callbacks(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(task);
      return;
    } catch (RejectedExecutionException e) {
      if (!closing && warned.compareAndSet(false, true)) {
        LockEngine.LOG.log(
            System.Logger.Level.WARNING,
            "the callback executor rejected a task ("
                + e.getMessage()
                + "); memlock runs rejected callbacks on threads of its own. Give callbackExecutor"
                + " an executor that accepts every task.");
      }
    }
    fallback().execute(task);
  }

  /** The client closes: rejections from now on are expected and not worth a warning. */
  void closing() {
    closing = true;
  }

  private ThreadPoolExecutor fallback() {
    ThreadPoolExecutor f = fallback;
    if (f == null) {
      synchronized (this) {
        f = fallback;
        if (f == null) {
          f =
              new ThreadPoolExecutor(
                  0,
                  Integer.MAX_VALUE,
                  1,
                  TimeUnit.SECONDS,
                  new SynchronousQueue<>(),
                  r -> {
                    Thread t =
                        new Thread(r, "memlock-callback-fallback-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                  });
          fallback = f;
        }
      }
    }
    return f;
  }
}
