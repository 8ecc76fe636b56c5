package io.memlock;

import java.util.List;
import java.util.Map;

/**
 * What {@link MemLock#list(String)} found: the held items of every server that could be listed, and
 * why the others could not.
 *
 * @param items the held items, sorted by name, kind and slot; an item held on several replicas
 *     appears once, with each of its servers
 * @param unlisted the servers ({@code host:port}) that could not be listed, each with the reason,
 *     sorted by address; empty when every server was listed. Items on these servers are missing
 *     from {@code items}.
 */
public record LockListing(List<HeldItem> items, Map<String, String> unlisted) {

  /**
   * Tells whether every server was listed.
   *
   * @return true when {@link #unlisted()} is empty
   */
  public boolean isComplete() {
    return unlisted.isEmpty();
  }
}
