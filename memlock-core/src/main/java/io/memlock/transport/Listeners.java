package io.memlock.transport;

import io.memlock.MemLockListener;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The statistics listeners of one client, as one listener: each call goes to every registered
 * listener in turn, on the calling thread, and a listener's exception is swallowed so that it can
 * never break a lock. Cheap when nobody listens (one volatile read).
 */
public final class Listeners implements MemLockListener {
  private final CopyOnWriteArrayList<MemLockListener> all = new CopyOnWriteArrayList<>();
  private volatile boolean any;

  /**
   * Adds a listener.
   *
   * @param listener the listener
   */
  public void add(MemLockListener listener) {
    all.add(listener);
    any = true;
  }

  /**
   * Removes a listener (every registration of it).
   *
   * @param listener the listener
   * @return whether it was registered
   */
  public boolean remove(MemLockListener listener) {
    boolean removed = all.removeIf(l -> l == listener);
    any = !all.isEmpty();
    return removed;
  }

  /**
   * Tells whether any listener is registered, so callers can skip measuring.
   *
   * @return true if some listener is registered
   */
  public boolean any() {
    return any;
  }

  @Override
  public void lockAcquired(String name, AcquireOutcome outcome, long nanos) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.lockAcquired(name, outcome, nanos);
        } catch (RuntimeException e) {
          // A listener must not break a lock.
        }
      }
    }
  }

  @Override
  public void leaseLost(String name) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.leaseLost(name);
        } catch (RuntimeException e) {
          // A listener must not break a lock.
        }
      }
    }
  }

  @Override
  public void leaseRenewed(String name, RenewalOutcome outcome) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.leaseRenewed(name, outcome);
        } catch (RuntimeException e) {
          // A listener must not break a lock.
        }
      }
    }
  }

  @Override
  public void serverRequest(String server, long nanos, boolean success) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.serverRequest(server, nanos, success);
        } catch (RuntimeException e) {
          // A listener must not break a request.
        }
      }
    }
  }

  @Override
  public void rateLimited(String limiter, boolean admitted) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.rateLimited(limiter, admitted);
        } catch (RuntimeException e) {
          // A listener must not break a limiter.
        }
      }
    }
  }

  @Override
  public void cacheLookup(String cache, boolean hit) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.cacheLookup(cache, hit);
        } catch (RuntimeException e) {
          // A listener must not break a cache.
        }
      }
    }
  }

  @Override
  public void cacheLoaded(String cache, long nanos, boolean success) {
    if (any) {
      for (MemLockListener l : all) {
        try {
          l.cacheLoaded(cache, nanos, success);
        } catch (RuntimeException e) {
          // A listener must not break a cache.
        }
      }
    }
  }
}
